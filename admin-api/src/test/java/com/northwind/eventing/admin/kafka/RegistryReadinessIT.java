package com.northwind.eventing.admin.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** admin-api is ready only while its view of every registry topic is current. */
@ExtendWith(KafkaClusterExtension.class)
class RegistryReadinessIT {
    private static AdminApiServer admin;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        admin = new AdminApiServer(kafka).start();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    @Test
    void shouldStopBeingReadyWhenTheReaderOfARegistryTopicStops() {
        AdminApiServer.Response before = admin.getWithoutToken("/actuator/health/readiness");
        CompactedTopic<?> apps = admin.context().getBean(RegistryTopicFactory.class).opened().stream()
                .filter(t -> t.topic().equals("eventing.registry.apps"))
                .findFirst()
                .orElseThrow();

        apps.close();
        AdminApiServer.Response after = admin.getWithoutToken("/actuator/health/readiness");

        assertThat(before.status()).isEqualTo(200);
        assertThat(after.status()).isEqualTo(503);
        assertThat(after.json().path("status").asString()).isEqualTo("DOWN");
    }
}
