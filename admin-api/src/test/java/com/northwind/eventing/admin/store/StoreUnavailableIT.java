package com.northwind.eventing.admin.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** admin-api with its store out of reach: it starts, serves the registry and stays ready; the store routes say 503. */
@ExtendWith({KafkaClusterExtension.class, OutputCaptureExtension.class})
class StoreUnavailableIT {
    private static final String PASSWORD = "s3cr3t-store-pass";
    private static AdminApiServer admin;

    @BeforeAll
    static void start(KafkaBroker kafka) throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        admin = new AdminApiServer(
                        kafka,
                        "--eventing.store.uri=mongodb://store-user:" + PASSWORD + "@127.0.0.1:" + closedPort
                                + "/?authSource=admin")
                .start();
    }

    @AfterAll
    static void stop() {
        admin.close();
    }

    @Test
    void shouldAnswer503StoreUnavailableWhenStoreCannotBeReached() {
        // given the store's port is closed
        List<String> paths = List.of("/v1/events", "/v1/events/ev-1", "/v1/transactions/tx-1", "/v1/stats");

        // when
        List<AdminApiServer.Response> answers = paths.stream().map(admin::get).toList();

        // then
        for (AdminApiServer.Response r : answers) {
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:store-unavailable");
            assertThat(r.header("Retry-After")).isEqualTo("5");
        }
    }

    @Test
    void shouldServeTheRegistryAndStayReadyWhenStoreCannotBeReached() {
        // given the store's port is closed

        // when
        AdminApiServer.Response registry = admin.get("/v1/event-types");
        AdminApiServer.Response readiness = admin.getWithoutToken("/actuator/health/readiness");
        AdminApiServer.Response health = admin.getWithoutToken("/actuator/health");
        AdminApiServer.Response store = admin.getWithoutToken("/actuator/health/store");

        // then
        assertThat(registry.status()).isEqualTo(200);
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().path("status").asString()).isEqualTo("UP");
        assertThat(store.json().path("status").asString())
                .as(store.status() + " " + store.body())
                .isEqualTo("UNREACHABLE");
    }

    @Test
    void shouldNeverLogTheStorePasswordWhenStoreCannotBeReached(CapturedOutput output) {
        // given a store call that fails
        admin.get("/v1/events");

        // when
        String logged = output.getAll();

        // then
        assertThat(logged).contains("Event store unreachable");
        assertThat(logged).doesNotContain(PASSWORD);
    }
}
