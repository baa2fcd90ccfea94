package com.northwind.eventing.intake.config;

import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code registry} in {@code /actuator/health} and its readiness group: UP while the intake's views of apps and event
 * types are current (see {@link CompactedTopic#isCurrent}), DOWN otherwise, when every publish answers 503 too.
 */
@Component("registry")
class RegistryHealthIndicator implements HealthIndicator {
    private final List<CompactedTopic<?>> topics;

    RegistryHealthIndicator(CompactedTopic<App> appsTopic, CompactedTopic<EventType> eventTypesTopic) {
        this.topics = List.of(appsTopic, eventTypesTopic);
    }

    @Override
    public Health health() {
        List<CompactedTopic.Health> views =
                topics.stream().map(CompactedTopic::health).toList();
        Health.Builder health = views.stream().allMatch(CompactedTopic.Health::current) ? Health.up() : Health.down();
        return health.withDetails(CompactedTopic.Health.byTopic(views)).build();
    }
}
