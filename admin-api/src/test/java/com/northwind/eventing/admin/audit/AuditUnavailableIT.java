package com.northwind.eventing.admin.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.admin.Fixtures;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An audit topic that takes no write (its records may be no larger than 64 bytes): a change is never answered as a
 * success, but 503 audit-unavailable.
 */
@ExtendWith(KafkaClusterExtension.class)
class AuditUnavailableIT {
    private static final String TOPIC = "eventing.audit-unwritable";

    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker kafka) throws Exception {
        kafka.admin()
                .createTopics(List.of(new NewTopic(TOPIC, Optional.of(1), Optional.empty())
                        .configs(Map.of("max.message.bytes", "64"))))
                .all()
                .get();
        api = new AdminApiServer(kafka, "--eventing.audit.topic=" + TOPIC, "--eventing.registry.write-timeout=3s")
                .start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldAnswerAuditUnavailableWhenTheEntryCannotBeWritten() {
        // given an audit topic that refuses every write

        // when
        Response r = api.post("/v1/apps", Fixtures.app("unaudited", "", ""));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:audit-unavailable");
        assertThat(r.json().path("detail").asString())
                .isEqualTo("the audit log could not record create of app unaudited; try again later");
        assertThat(r.body()).doesNotContain("evt_");
    }

    @Test
    void shouldAnswerAConfluentErrorWithStatus503WhenARegistryWriteCannotBeAudited() {
        // given an audit topic that refuses every write

        // when
        Response r = api.send(api.request("/config/unaudited-value", true)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"NONE\"}")));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.json().path("error_code").asInt()).isEqualTo(50301);
    }
}
