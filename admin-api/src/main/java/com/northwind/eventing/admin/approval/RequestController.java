package com.northwind.eventing.admin.approval;

import com.northwind.eventing.admin.approval.ChangeRequest.State;
import com.northwind.eventing.admin.approval.RequestService.Position;
import com.northwind.eventing.admin.problem.ProblemTypes;
import com.northwind.eventing.admin.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/requests}: changes apps asked for that wait for an admin. The admin sees and decides all; an app sees and
 * withdraws only its own, and another app's is answered exactly as one that does not exist.
 */
@RestController
@RequestMapping(path = "/v1/requests", produces = "application/json")
class RequestController {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    private static final Set<String> PARAMETERS = Set.of("state", "app", "limit", "cursor");
    private static final String CURSOR_VERSION = "v1 ";

    private final RequestService service;

    RequestController(RequestService service) {
        this.service = service;
    }

    /**
     * The body of {@code POST /v1/requests}.
     *
     * @param kind {@code grant}: subscriptions are asked for with {@code POST /v1/subscriptions}
     * @param app the app the grants are for; the calling app when absent, required of the admin
     */
    record NewRequest(String kind, String app, List<String> publish, List<String> read, String reason) {}

    /** The body of an approval or a rejection. */
    record Decision(String note) {}

    @PostMapping(consumes = "application/json")
    ResponseEntity<ChangeRequest> create(@RequestBody NewRequest body, HttpServletRequest http) {
        ChangeRequest r = service.requestGrant(
                body.kind(), body.app(), body.publish(), body.read(), body.reason(), Caller.of(http));
        return ResponseEntity.created(URI.create("/v1/requests/" + r.id())).body(r);
    }

    @GetMapping
    Map<String, Object> list(@RequestParam MultiValueMap<String, String> params, HttpServletRequest http) {
        for (String name : params.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw bad(
                        HttpStatus.BAD_REQUEST,
                        (name.length() > 64 ? name.substring(0, 64) + "..." : name)
                                + ": not a parameter of this call; it takes app, cursor, limit, state");
            }
            if (params.get(name).size() > 1) {
                throw bad(
                        HttpStatus.BAD_REQUEST,
                        name + ": given " + params.get(name).size() + " times; it takes one");
            }
        }
        State state = state(params.getFirst("state"));
        int limit = limit(params.getFirst("limit"));
        Position after = cursor(params.getFirst("cursor"));
        List<ChangeRequest> all = service.list(state, params.getFirst("app"), Caller.of(http)).stream()
                .filter(r -> after == null || Position.NEWEST_FIRST.compare(Position.of(r), after) > 0)
                .toList();
        List<ChangeRequest> page = all.subList(0, Math.min(limit, all.size()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", page);
        if (all.size() > limit) {
            answer.put("next", cursorOf(page.get(page.size() - 1)));
        }
        return answer;
    }

    @GetMapping("/{id}")
    ChangeRequest get(@PathVariable String id, HttpServletRequest http) {
        return service.visible(id, Caller.of(http));
    }

    @PostMapping("/{id}/approve")
    ChangeRequest approve(
            @PathVariable String id, @RequestBody(required = false) Decision decision, HttpServletRequest http) {
        return service.approve(id, decision == null ? null : decision.note(), Caller.of(http));
    }

    @PostMapping(path = "/{id}/reject", consumes = "application/json")
    ChangeRequest reject(@PathVariable String id, @RequestBody Decision decision, HttpServletRequest http) {
        return service.reject(id, decision.note(), Caller.of(http));
    }

    @DeleteMapping("/{id}")
    ChangeRequest withdraw(@PathVariable String id, HttpServletRequest http) {
        return service.withdraw(id, Caller.of(http));
    }

    private static State state(String value) {
        if (value == null) {
            return null;
        }
        return Arrays.stream(State.values())
                .filter(s -> s.name().equals(value))
                .findFirst()
                .orElseThrow(() -> bad(
                        HttpStatus.UNPROCESSABLE_CONTENT,
                        "state: must be one of PENDING, APPROVED, REJECTED, WITHDRAWN"));
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (!value.matches("-?[0-9]{1,10}")) {
            throw bad(HttpStatus.BAD_REQUEST, "limit: must be a whole number from 1 to " + MAX_LIMIT);
        }
        long n = Long.parseLong(value);
        if (n < 1 || n > MAX_LIMIT) {
            throw bad(HttpStatus.UNPROCESSABLE_CONTENT, "limit: must be from 1 to " + MAX_LIMIT);
        }
        return (int) n;
    }

    /**
     * A position in the newest-first order, as the opaque string a page hands out: base64url of {@code v1 <requested
     * at> <id>}. It names only a position, so a forged one that reads well shows nothing the same query would not.
     */
    private static String cursorOf(ChangeRequest r) {
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString((CURSOR_VERSION + r.requestedAt() + " " + r.id()).getBytes(StandardCharsets.UTF_8));
    }

    private static Position cursor(String value) {
        if (value == null) {
            return null;
        }
        try {
            String[] parts = value.length() > 256
                    ? new String[0]
                    : new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split(" ", -1);
            if (parts.length == 3
                    && (parts[0] + " ").equals(CURSOR_VERSION)
                    && RequestService.ID.matcher(parts[2]).matches()) {
                return new Position(Instant.parse(parts[1]), parts[2]);
            }
        } catch (IllegalArgumentException | DateTimeException e) {
            // garbled: answered below
        }
        throw bad(HttpStatus.BAD_REQUEST, "cursor: not a cursor this call handed out; start again without one");
    }

    private static ParameterException bad(HttpStatus status, String detail) {
        return new ParameterException(status == HttpStatus.BAD_REQUEST, detail);
    }

    /**
     * A query parameter that is wrong: 400 when it cannot be read (not a number, a garbled cursor, unknown or
     * repeated), 422 when it can but breaks a rule. The message names the parameter.
     */
    static final class ParameterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final boolean malformed;

        ParameterException(boolean malformed, String detail) {
            super(detail, null, false, false);
            this.malformed = malformed;
        }
    }

    @ExceptionHandler(ParameterException.class)
    ResponseEntity<ProblemDetail> parameter(ParameterException e) {
        ProblemDetail p =
                (e.malformed ? ProblemTypes.MALFORMED_REQUEST : ProblemTypes.VALIDATION).problem(e.getMessage());
        return ResponseEntity.status(p.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}
