package com.northwind.eventing.admin.app;

import com.northwind.eventing.admin.kafkasecurity.AppKafkaAccess.KafkaLogin;
import com.northwind.eventing.admin.security.Caller;
import com.northwind.eventing.admin.subscription.SubscriptionService;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/apps}: register apps, issue and revoke their tokens. */
@RestController
@RequestMapping(path = "/v1/apps", produces = "application/json")
class AppController {
    private final AppService service;
    private final SubscriptionService subscriptions;

    AppController(AppService service, SubscriptionService subscriptions) {
        this.service = service;
        this.subscriptions = subscriptions;
    }

    /**
     * The answer to creating an app or a token: the only time the token is ever shown, and the app's Kafka login
     * (when Kafka credentials are on) the only time its password is.
     */
    record Created(
            String id,
            String team,
            List<String> publish,
            List<String> read,
            String tokenId,
            String token,
            Instant createdAt,
            KafkaLogin kafka) {
        static Created of(AppService.WithToken w) {
            return new Created(
                    w.app().id(),
                    w.app().team(),
                    w.app().publish(),
                    w.app().read(),
                    w.tokenId(),
                    w.token(),
                    w.app().tokens().stream()
                            .filter(t -> t.id().equals(w.tokenId()))
                            .findFirst()
                            .orElseThrow()
                            .createdAt(),
                    w.kafka());
        }
    }

    /** The answer to a new Kafka password: the only time it is shown. */
    record KafkaCredentials(String id, KafkaLogin kafka) {}

    @PostMapping(consumes = "application/json")
    ResponseEntity<Created> create(@RequestBody AppRequest request) {
        AppService.WithToken created = service.create(request);
        return ResponseEntity.created(URI.create("/v1/apps/" + created.app().id()))
                .header("Cache-Control", "no-store")
                .body(Created.of(created));
    }

    @GetMapping
    Map<String, List<AppView>> list() {
        return Map.of("items", service.list().stream().map(AppView::of).toList());
    }

    @GetMapping("/{id}")
    AppView get(@PathVariable String id, HttpServletRequest request) {
        Caller.of(request).requireMayActFor(id, "read the registration");
        return AppView.of(service.get(id));
    }

    @PutMapping(path = "/{id}", consumes = "application/json")
    AppView update(@PathVariable String id, @RequestBody AppRequest request) {
        return AppView.of(service.update(id, request));
    }

    @PostMapping("/{id}/tokens")
    ResponseEntity<Created> addToken(@PathVariable String id, HttpServletRequest request) {
        Caller.of(request).requireMayActFor(id, "add tokens");
        AppService.WithToken created = service.addToken(id);
        return ResponseEntity.status(201).header("Cache-Control", "no-store").body(Created.of(created));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        subscriptions.deleteApp(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/kafka-credentials")
    ResponseEntity<KafkaCredentials> rotateKafkaCredentials(@PathVariable String id, HttpServletRequest request) {
        Caller.of(request).requireMayActFor(id, "rotate Kafka credentials");
        KafkaLogin login = service.rotateKafkaCredentials(id);
        return ResponseEntity.ok().header("Cache-Control", "no-store").body(new KafkaCredentials(id, login));
    }

    @DeleteMapping("/{id}/tokens/{tokenId}")
    ResponseEntity<Void> revokeToken(
            @PathVariable String id, @PathVariable String tokenId, HttpServletRequest request) {
        Caller.of(request).requireMayActFor(id, "revoke tokens");
        service.revokeToken(id, tokenId);
        return ResponseEntity.noContent().build();
    }
}
