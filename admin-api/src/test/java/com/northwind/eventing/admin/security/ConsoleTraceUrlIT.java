package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The trace UI's URL template reaches the console in the session's answer, at sign-in and after a reload. */
@ExtendWith(KafkaClusterExtension.class)
class ConsoleTraceUrlIT {
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        api = new AdminApiServer(kafka, "--eventing.console.trace-url=https://traces.example.com/trace/{traceId}?x=1")
                .start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldAnswerTheTraceUrlTemplateWhenOneIsConfigured() {
        // given
        AdminApiServer.Response signIn = api.send(api.request("/v1/session", false)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\": \"" + AdminApiServer.ADMIN_TOKEN + "\"}")));
        String cookie = signIn.header("Set-Cookie").split(";", 2)[0];

        // when
        AdminApiServer.Response again = api.send(
                api.request("/v1/session", false).header("Cookie", cookie).GET());

        // then
        assertThat(signIn.status()).isEqualTo(201);
        assertThat(signIn.json().path("traceUrl").asString())
                .isEqualTo("https://traces.example.com/trace/{traceId}?x=1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("traceUrl").asString())
                .isEqualTo("https://traces.example.com/trace/{traceId}?x=1");
    }
}
