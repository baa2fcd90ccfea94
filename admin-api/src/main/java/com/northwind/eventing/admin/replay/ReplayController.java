package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.audit.AuditLog;
import com.northwind.eventing.admin.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/replays}: past events copied again to one subscription, under today's grants. */
@RestController
@RequestMapping(path = "/v1/replays", produces = "application/json")
class ReplayController {
    private final ReplayService service;
    private final AuditLog audit;

    ReplayController(ReplayService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Map<String, String>> create(@RequestBody ReplayRequest request, HttpServletRequest http) {
        Caller caller = Caller.of(http);
        String id = service.create(request, caller);
        audit.record("create", "replay", id, null, service.get(id, caller));
        return ResponseEntity.accepted()
                .location(URI.create("/v1/replays/" + id))
                .body(Map.of("id", id));
    }

    @GetMapping
    Map<String, List<Map<String, Object>>> list(HttpServletRequest http) {
        return Map.of("replays", service.list(Caller.of(http)));
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@PathVariable String id, HttpServletRequest http) {
        return service.get(id, Caller.of(http));
    }

    @DeleteMapping("/{id}")
    Map<String, Object> cancel(@PathVariable String id, HttpServletRequest http) {
        Caller caller = Caller.of(http);
        Map<String, Object> before = service.get(id, caller);
        Map<String, Object> after = service.cancel(id, caller);
        audit.record("cancel", "replay", id, before, after);
        return after;
    }
}
