package com.northwind.eventing.admin.store;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.stereotype.Component;

/**
 * {@code store} in {@code /actuator/health}: UP while the driver reaches MongoDB, {@code UNREACHABLE} while it does
 * not. Deliberately not DOWN and not in the readiness group: admin-api is first the registry's API, which works without
 * the store, so an unreachable store must not take admin-api out of service; the store routes answer 503 meanwhile.
 * A status outside Spring's order is left out of the overall status, and answers 200.
 */
@Component("store")
class StoreHealthIndicator implements HealthIndicator {
    static final Status UNREACHABLE = new Status("UNREACHABLE", "the event store (MongoDB) cannot be reached");

    private final Store store;

    StoreHealthIndicator(Store store) {
        this.store = store;
    }

    @Override
    public Health health() {
        return Health.status(store.reachable() ? Status.UP : UNREACHABLE)
                .withDetail("indexes", store.indexed())
                .build();
    }
}
