package com.northwind.eventing.admin.subscription;

import com.northwind.eventing.admin.approval.ChangeRequest;
import com.northwind.eventing.admin.approval.RequestService;
import com.northwind.eventing.admin.audit.AuditLog;
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
    private final RequestService requests;
    private final AuditLog audit;
    private final SubscriptionLag lag;

    SubscriptionController(SubscriptionService service, RequestService requests, AuditLog audit, SubscriptionLag lag) {
        this.service = service;
        this.requests = requests;
        this.audit = audit;
        this.lag = lag;
    }

    /**
     * Creates the subscription, or, when apps' subscriptions need an admin's approval and the caller is an app, files
     * a request for it (202, checked exactly as a create is, and nothing created).
     */
    @PostMapping(consumes = "application/json")
    ResponseEntity<Object> create(@RequestBody SubscriptionRequest request, HttpServletRequest http) {
        Caller caller = Caller.of(http);
        if (request.app() != null) { // none: the subscription's own checks refuse it (422 naming /app)
            caller.requireMayActFor(request.app(), "create subscriptions");
        }
        if (requests.subscriptionNeedsApproval(caller)) {
            ChangeRequest filed = requests.requestSubscription(request, caller);
            return ResponseEntity.accepted()
                    .location(URI.create("/v1/requests/" + filed.id()))
                    .body(filed);
        }
        Subscription s = service.create(request);
        audit.record("create", "subscription", s.id(), null, s);
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

    /** The consumer lag of the subscription's groups as last measured; the answer never waits on Kafka. */
    @GetMapping("/{id}/lag")
    SubscriptionLag.View lag(@PathVariable String id, HttpServletRequest http) {
        return lag.of(service.visible(id, Caller.of(http)));
    }

    @PatchMapping(path = "/{id}", consumes = "application/json")
    Subscription change(
            @PathVariable String id, @RequestBody SubscriptionRequest.Change change, HttpServletRequest http) {
        Subscription before = service.visible(id, Caller.of(http));
        Subscription after = service.change(id, change);
        audit.record("update", "subscription", id, before, after);
        return after;
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(
            @PathVariable String id,
            @RequestParam(defaultValue = "false") boolean deleteTopic,
            HttpServletRequest http) {
        Subscription before = service.visible(id, Caller.of(http));
        service.delete(id, deleteTopic);
        audit.record("delete", "subscription", id, before, null);
        return ResponseEntity.noContent().build();
    }
}
