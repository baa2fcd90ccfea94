package com.northwind.eventing.admin.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.northwind.eventing.admin.security.Caller;
import com.northwind.eventing.admin.subscription.SubscriptionService;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /v1/events}, {@code /v1/transactions} and {@code /v1/stats}: reading the event store; and the delivery
 * ledger, by event and by subscription.
 */
@RestController
class StoreController {
    private final EventSearch search;
    private final StoreStats stats;
    private final DeliveryLedger ledger;
    private final SubscriptionService subscriptions;

    StoreController(EventSearch search, StoreStats stats, DeliveryLedger ledger, SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
        this.search = search;
        this.stats = stats;
        this.ledger = ledger;
    }

    /** A page: {@code nextCursor} is always there, null after the last page. */
    record PageView(
            List<Map<String, Object>> events,
            @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}

    @GetMapping(path = "/v1/events", produces = "application/json")
    PageView events(@RequestParam MultiValueMap<String, String> query) {
        EventSearch.Page page = search.search(query);
        return new PageView(page.events(), page.nextCursor());
    }

    @GetMapping(path = "/v1/events/{eventId}", produces = "application/json")
    Map<String, Object> event(@PathVariable String eventId, @RequestParam MultiValueMap<String, String> query) {
        new Params(query, java.util.Set.of());
        return search.event(eventId);
    }

    @GetMapping(path = "/v1/events/{eventId}/deliveries", produces = "application/json")
    DeliveryLedger.EventDeliveries eventDeliveries(
            @PathVariable String eventId, @RequestParam MultiValueMap<String, String> query) {
        new Params(query, java.util.Set.of());
        return ledger.event(eventId);
    }

    @GetMapping(path = "/v1/subscriptions/{id}/deliveries", produces = "application/json")
    DeliveryLedger.SubscriptionDeliveries subscriptionDeliveries(
            @PathVariable String id, @RequestParam MultiValueMap<String, String> query, HttpServletRequest http) {
        Caller caller = Caller.of(http);
        if (!caller.isAdmin()) {
            // An app reads the ledger of its own subscriptions that exist; the admin also of deleted ones.
            subscriptions.visible(id, caller);
        }
        return ledger.subscription(id, query);
    }

    @GetMapping(path = "/v1/deliveries", produces = "application/json")
    DeliveryLedger.Deliveries deliveries(@RequestParam MultiValueMap<String, String> query) {
        return ledger.all(query);
    }

    @GetMapping(path = "/v1/transactions/{transactionId}", produces = "application/json")
    EventSearch.Transaction transaction(
            @PathVariable String transactionId, @RequestParam MultiValueMap<String, String> query) {
        new Params(query, java.util.Set.of());
        return search.transaction(transactionId);
    }

    @GetMapping(path = "/v1/stats", produces = "application/json")
    StoreStats.Stats stats(@RequestParam MultiValueMap<String, String> query) {
        return stats.stats(query);
    }
}
