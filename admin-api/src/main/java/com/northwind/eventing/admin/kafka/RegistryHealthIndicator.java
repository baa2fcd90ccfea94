package com.northwind.eventing.admin.kafka;

import com.northwind.eventing.common.kafka.CompactedTopic;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code registry} in {@code /actuator/health} and its readiness group: UP while admin-api's view of every registry
 * topic it opened is current (see {@link CompactedTopic#isCurrent}), DOWN while one is not.
 */
@Component("registry")
class RegistryHealthIndicator implements HealthIndicator {
    private final RegistryTopicFactory topics;

    RegistryHealthIndicator(RegistryTopicFactory topics) {
        this.topics = topics;
    }

    @Override
    public Health health() {
        List<CompactedTopic.Health> views =
                topics.opened().stream().map(CompactedTopic::health).toList();
        Health.Builder health = views.stream().allMatch(CompactedTopic.Health::current) ? Health.up() : Health.down();
        return health.withDetails(CompactedTopic.Health.byTopic(views)).build();
    }
}
