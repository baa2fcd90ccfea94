package com.northwind.eventing.admin.replay;

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

    ReplayController(ReplayService service) {
        this.service = service;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Map<String, String>> create(@RequestBody ReplayRequest request, HttpServletRequest http) {
        String id = service.create(request, Caller.of(http));
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
        return service.cancel(id, Caller.of(http));
    }
}
