package com.northwind.eventing.admin.kafkasecurity;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.admin.audit.AuditTopic;
import com.northwind.eventing.admin.store.InMemoryMongo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No secret answered by admin-api (app tokens, Kafka passwords) reaches the audit topic or the audit collection. */
class AuditSecretsIT {
    private static SecureKafka kafka;
    private static InMemoryMongo mongo;
    private static AdminApiServer api;

    @BeforeAll
    static void start() throws Exception {
        kafka = SecureKafka.start();
        mongo = new InMemoryMongo();
        List<String> args = new ArrayList<>(
                List.of("--eventing.kafka.app-credentials.enabled=true", "--eventing.store.uri=" + mongo.uri()));
        kafka.superUserProperties().forEach((k, v) -> args.add("--eventing.kafka.properties." + k + "=" + v));
        api = new AdminApiServer(kafka::bootstrapServers, args.toArray(String[]::new)).start();
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            api.close();
        }
        if (mongo != null) {
            mongo.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldKeepEverySecretOutOfTheTopicAndTheStoreWhenAppsGetTokensAndKafkaPasswords() throws Exception {
        // given
        Response created = api.post("/v1/apps", Fixtures.app("secretive", "", ""));
        Response token = api.post("/v1/apps/secretive/tokens", "");
        Response rotated = api.post("/v1/apps/secretive/kafka-credentials", "");
        List<String> secrets = List.of(
                created.json().path("token").asString(),
                created.json().at("/kafka/password").asString(),
                token.json().path("token").asString(),
                rotated.json().at("/kafka/password").asString(),
                AdminApiServer.ADMIN_TOKEN,
                AdminApiServer.SERVICE_TOKEN);
        assertThat(List.of(created.status(), token.status(), rotated.status())).containsExactly(201, 201, 200);
        assertThat(secrets).allSatisfy(s -> assertThat(s).hasSizeGreaterThan(15));

        // when
        Map<String, Object> config = new HashMap<>(kafka.superUserProperties());
        config.put("bootstrap.servers", kafka.bootstrapServers());
        List<String> topic = AuditTopic.read(config, "eventing.audit");
        List<String> store = awaitDocuments(3);

        // then
        assertThat(topic).hasSize(3);
        assertThat(String.join("\n", topic)).contains("secretive").doesNotContain(secrets);
        assertThat(String.join("\n", store)).contains("secretive").doesNotContain(secrets);
    }

    private static List<String> awaitDocuments(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<String> docs = List.of();
        while (docs.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
            docs = mongo.client()
                    .getDatabase("eventing")
                    .getCollection("audit")
                    .find()
                    .map(Document::toJson)
                    .into(new ArrayList<>());
        }
        assertThat(docs).hasSize(count);
        return docs;
    }
}
