package com.northwind.eventing.admin.subscription;

import com.northwind.eventing.admin.audit.AuditLog;
import com.northwind.eventing.common.model.Subscription;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/subscriptions}: what each consumer app gets on its topic. */
@RestController
@RequestMapping(path = "/v1/subscriptions", produces = "application/json")
class SubscriptionController {
    private final SubscriptionService service;
    private final AuditLog audit;

    SubscriptionController(SubscriptionService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Subscription> create(@RequestBody SubscriptionRequest request) {
        Subscription s = service.create(request);
        audit.record("create", "subscription", s.id(), null, s);
        return ResponseEntity.created(URI.create("/v1/subscriptions/" + s.id())).body(s);
    }

    @GetMapping
    Map<String, List<Subscription>> list() {
        return Map.of("items", service.list());
    }

    @GetMapping("/{id}")
    Subscription get(@PathVariable String id) {
        return service.get(id);
    }

    @PatchMapping(path = "/{id}", consumes = "application/json")
    Subscription change(@PathVariable String id, @RequestBody SubscriptionRequest.Change change) {
        Subscription before = service.get(id);
        Subscription after = service.change(id, change);
        audit.record("update", "subscription", id, before, after);
        return after;
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, @RequestParam(defaultValue = "false") boolean deleteTopic) {
        Subscription before = service.get(id);
        service.delete(id, deleteTopic);
        audit.record("delete", "subscription", id, before, null);
        return ResponseEntity.noContent().build();
    }
}
