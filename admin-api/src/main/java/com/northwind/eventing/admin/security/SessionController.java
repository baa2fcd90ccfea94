package com.northwind.eventing.admin.security;

import com.northwind.eventing.admin.app.AppService;
import com.northwind.eventing.admin.audit.AuditLog;
import com.northwind.eventing.admin.problem.ProblemTypes;
import com.northwind.eventing.common.model.ValidationException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /v1/session}: the console's sign-in with the admin token or an app token, traded for a session cookie and a
 * CSRF token; the route filter has checked the cookie (and the CSRF token on DELETE) before GET and DELETE get here.
 */
@RestController
class SessionController {
    private static final Logger log = LoggerFactory.getLogger(SessionController.class);

    private final ConsoleSessions sessions;
    private final SignInThrottle throttle;
    private final Credentials credentials;
    private final AppService apps;
    private final AuditLog audit;
    private final ConsoleTraceProperties trace;

    SessionController(
            ConsoleSessions sessions,
            SignInThrottle throttle,
            Credentials credentials,
            AppService apps,
            AuditLog audit,
            ConsoleTraceProperties trace) {
        this.sessions = sessions;
        this.throttle = throttle;
        this.credentials = credentials;
        this.apps = apps;
        this.audit = audit;
        this.trace = trace;
    }

    /** The body of the sign-in; read as a JSON value so that a token of the wrong type is named, not coerced. */
    record SignIn(JsonNode token) {}

    @PostMapping(path = AdminRouteFilter.SESSION_PATH, consumes = "application/json", produces = "application/json")
    ResponseEntity<?> signIn(@RequestBody SignIn body, HttpServletRequest request, HttpServletResponse response) {
        String address = request.getRemoteAddr();
        long retryAfter = throttle.retryAfterSeconds(address);
        if (retryAfter > 0) {
            log.info("Refused a console sign-in from {}: too many failed sign-ins", address);
            return problem(
                    ProblemTypes.RATE_LIMITED.problem(
                            "too many failed sign-ins from this address; try again in " + retryAfter + " s"),
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(retryAfter));
        }
        String token = token(body.token());
        Caller caller;
        String tokenId = null;
        if (credentials.isAdmin(token)) {
            caller = Caller.admin(true);
        } else {
            Optional<AppService.TokenHolder> holder = apps.holderOf(token);
            if (holder.isEmpty()) {
                throttle.failed(address);
                log.info("Refused a console sign-in from {}: the token is neither the admin's nor an app's", address);
                return problem(
                        ProblemTypes.UNAUTHORIZED.problem(
                                "the token is not valid: neither the admin token nor a token of a registered app"),
                        HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"eventing-admin\"");
            }
            caller = Caller.app(holder.get().appId(), true);
            tokenId = holder.get().tokenId();
        }
        // Recorded before the session exists: a sign-in the audit log cannot take is refused (503), not left
        // unrecorded.
        audit.record(caller, "sign-in", "session", caller.name(), null, signedIn(caller, tokenId), request);
        ConsoleSessions.Started started = sessions.start(caller, tokenId);
        SessionCookie.set(request, response, started.id());
        log.info("Console session started for {}{}", caller.name(), tokenId == null ? "" : " with token " + tokenId);
        return ResponseEntity.status(201)
                .contentType(MediaType.APPLICATION_JSON)
                .body(view(started.session()));
    }

    @GetMapping(path = AdminRouteFilter.SESSION_PATH, produces = "application/json")
    ObjectNode current(HttpServletRequest request) {
        return view(sessions.use((String) request.getAttribute(AdminRouteFilter.SESSION_ID))
                .orElseThrow(() -> new IllegalStateException("the route filter let a request without a session in")));
    }

    @DeleteMapping(path = AdminRouteFilter.SESSION_PATH)
    ResponseEntity<Void> signOut(HttpServletRequest request, HttpServletResponse response) {
        sessions.end((String) request.getAttribute(AdminRouteFilter.SESSION_ID));
        SessionCookie.clear(request, response);
        Caller caller = Caller.of(request);
        audit.record(caller, "sign-out", "session", caller.name(), null, null, request);
        log.info("Console session of {} ended by sign-out", Caller.of(request).name());
        return ResponseEntity.noContent().build();
    }

    /** What the audit log keeps of a sign-in: who, and which of an app's tokens (its public id, never the token). */
    private static Map<String, Object> signedIn(Caller caller, String tokenId) {
        Map<String, Object> after = new LinkedHashMap<>();
        after.put("caller", caller.name());
        if (tokenId != null) {
            after.put("tokenId", tokenId);
        }
        return after;
    }

    private static String token(JsonNode token) {
        if (token == null || token.isNull() || token.isMissingNode()) {
            throw new ValidationException("/token", "token is required: the admin token or an app token");
        }
        if (!token.isString()) {
            throw new ValidationException("/token", "token must be a string");
        }
        String value = token.asString();
        if (value.isEmpty() || value.length() > AppService.MAX_TOKEN_LENGTH) {
            throw new ValidationException(
                    "/token", "token must be 1 to " + AppService.MAX_TOKEN_LENGTH + " characters");
        }
        return value;
    }

    /**
     * The session's answer, as a JSON tree: the service leaves null members out of maps and records, and the console
     * reads {@code "traceUrl": null} as "no trace UI".
     */
    private ObjectNode view(ConsoleSessions.Session session) {
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        ObjectNode caller = view.putObject("caller");
        caller.put("kind", session.caller().kind().name().toLowerCase(java.util.Locale.ROOT));
        if (session.caller().appId() != null) {
            caller.put("app", session.caller().appId());
        }
        view.put("csrfToken", session.csrfToken());
        view.put("expiresAt", sessions.expiresAt(session).toString());
        // The console links an event's trace with it.
        view.put("traceUrl", trace.traceUrl());
        return view;
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemDetail p, String header, String value) {
        return ResponseEntity.status(p.getStatus())
                .header(header, value)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}
