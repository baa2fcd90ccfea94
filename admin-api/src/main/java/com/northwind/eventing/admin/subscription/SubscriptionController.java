package com.northwind.eventing.admin.subscription;

import com.northwind.eventing.admin.security.Caller;
import com.northwind.eventing.common.model.Subscription;
import jakarta.servlet.http.HttpServletRequest;
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

/**
 * {@code /v1/subscriptions}: what each consumer app gets on its topic. The admin sees all; an app only its own, and
 * another app's is answered exactly as one that does not exist.
 */
@RestController
@RequestMapping(path = "/v1/subscriptions", produces = "application/json")
class SubscriptionController {
    private final SubscriptionService service;

    SubscriptionController(SubscriptionService service) {
        this.service = service;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Subscription> create(@RequestBody SubscriptionRequest request, HttpServletRequest http) {
        if (request.app() != null) { // none: the subscription's own checks refuse it (422 naming /app)
            Caller.of(http).requireMayActFor(request.app(), "create subscriptions");
        }
        Subscription s = service.create(request);
        return ResponseEntity.created(URI.create("/v1/subscriptions/" + s.id())).body(s);
    }

    @GetMapping
    Map<String, List<Subscription>> list(HttpServletRequest http) {
        Caller caller = Caller.of(http);
        return Map.of(
                "items",
                service.list().stream().filter(s -> caller.mayActFor(s.app())).toList());
    }

    @GetMapping("/{id}")
    Subscription get(@PathVariable String id, HttpServletRequest http) {
        return service.visible(id, Caller.of(http));
    }

    @PatchMapping(path = "/{id}", consumes = "application/json")
    Subscription change(
            @PathVariable String id, @RequestBody SubscriptionRequest.Change change, HttpServletRequest http) {
        service.visible(id, Caller.of(http));
        return service.change(id, change);
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(
            @PathVariable String id,
            @RequestParam(defaultValue = "false") boolean deleteTopic,
            HttpServletRequest http) {
        service.visible(id, Caller.of(http));
        service.delete(id, deleteTopic);
        return ResponseEntity.noContent().build();
    }
}
