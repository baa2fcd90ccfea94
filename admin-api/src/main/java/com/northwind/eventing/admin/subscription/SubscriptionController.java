package com.northwind.eventing.admin.subscription;

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

    SubscriptionController(SubscriptionService service) {
        this.service = service;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Subscription> create(@RequestBody SubscriptionRequest request) {
        Subscription s = service.create(request);
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
        return service.change(id, change);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id, @RequestParam(defaultValue = "false") boolean deleteTopic) {
        service.delete(id, deleteTopic);
        return ResponseEntity.noContent().build();
    }
}
