package com.northwind.eventing.admin.store.connect;

import java.io.IOException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import tools.jackson.databind.JsonNode;

/**
 * {@code storeConnector} in {@code /actuator/health}: the sink connector's state and its tasks' as Connect reports
 * them ({@code GET /connectors/{name}/status}). DOWN when the connector or a task FAILED: records then stay in {@code
 * eventing.store} unwritten until it runs again. UNKNOWN while Connect cannot be asked or has no such connector yet
 * (it does not hold admin-api's health down). Only states and worker ids are shown, never a trace: a trace may quote
 * a record.
 */
final class StoreConnectorHealthIndicator implements HealthIndicator {
    private final ConnectRest rest;

    StoreConnectorHealthIndicator(ConnectRest rest) {
        this.rest = rest;
    }

    @Override
    public Health health() {
        ConnectRest.Answer status;
        try {
            status = rest.status();
        } catch (IOException e) {
            return Health.unknown()
                    .withDetail(
                            "reason",
                            "Kafka Connect is not reachable: " + e.getClass().getSimpleName())
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().build();
        }
        if (status.status() != 200) {
            return Health.unknown()
                    .withDetail("reason", "Kafka Connect answered " + status.status())
                    .build();
        }
        JsonNode body = status.body();
        String connector = body.at("/connector/state").asString("UNASSIGNED");
        boolean failed = "FAILED".equals(connector);
        boolean running = "RUNNING".equals(connector);
        StringBuilder tasks = new StringBuilder();
        for (JsonNode task : body.path("tasks")) {
            String state = task.path("state").asString("UNASSIGNED");
            failed |= "FAILED".equals(state);
            running &= "RUNNING".equals(state);
            tasks.append(tasks.isEmpty() ? "" : ", ")
                    .append(task.path("id").asInt())
                    .append(": ")
                    .append(state)
                    .append(" on ")
                    .append(task.path("worker_id").asString(""));
        }
        running &= !body.path("tasks").isEmpty();
        Health.Builder health = failed ? Health.down() : running ? Health.up() : Health.unknown();
        return health.withDetail("connector", connector)
                .withDetail("tasks", tasks.toString())
                .build();
    }
}
