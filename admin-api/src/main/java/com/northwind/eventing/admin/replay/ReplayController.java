package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.audit.AuditLog;
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
    ResponseEntity<Map<String, String>> create(@RequestBody ReplayRequest request) {
        String id = service.create(request);
        audit.record("create", "replay", id, null, service.get(id));
        return ResponseEntity.accepted()
                .location(URI.create("/v1/replays/" + id))
                .body(Map.of("id", id));
    }

    @GetMapping
    Map<String, List<Map<String, Object>>> list() {
        return Map.of("replays", service.list());
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@PathVariable String id) {
        return service.get(id);
    }

    @DeleteMapping("/{id}")
    Map<String, Object> cancel(@PathVariable String id) {
        Map<String, Object> before = service.get(id);
        Map<String, Object> after = service.cancel(id);
        audit.record("cancel", "replay", id, before, after);
        return after;
    }
}
