package com.northwind.eventing.admin;

import static com.northwind.eventing.admin.Fixtures.app;
import static com.northwind.eventing.admin.Fixtures.claimEventType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** admin-api keeps no state of its own: a restart rebuilds everything from the compacted topics. */
@ExtendWith(KafkaClusterExtension.class)
class RegistryRestartIT {
    private static final String SCHEMA_A =
            "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"RestartA\\\",\\\"fields\\\":[]}\"}";
    private static final String SCHEMA_B =
            "{\"schema\": \"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"RestartB\\\",\\\"fields\\\":[]}\"}";

    @Test
    void shouldRebuildRegistryAndKeepSchemaIdsWhenRestarted(KafkaBroker kafka) {
        try (AdminApiServer api = new AdminApiServer(kafka).start()) {
            api.post("/v1/event-types", claimEventType("Restarted"));
            String token = api.post("/v1/apps", app("restart-app", "\"Claim.*.*\"", "\"PHI\""))
                    .json()
                    .path("tokenId")
                    .asString();
            api.post("/v1/subscriptions", """
                    {"id": "restart-sub", "app": "restart-app", "eventTypes": ["Claim.Submitted.Restarted"]}
                    """);
            api.post("/v1/subscriptions", """
                    {"id": "restart-gone", "app": "restart-app", "eventTypes": ["Claim.*.*"]}
                    """);
            api.delete("/v1/subscriptions/restart-gone");
            int idA = registerSchema(api, "restart-a-value", SCHEMA_A);
            api.send(api.request("/config/restart-a-value", true)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\": \"FULL\"}")));

            api.restart();

            Response type = api.get("/v1/event-types/Claim.Submitted.Restarted");
            Response appRead = api.get("/v1/apps/restart-app");
            Response sub = api.get("/v1/subscriptions/restart-sub");
            Response gone = api.get("/v1/subscriptions/restart-gone");
            int idAAgain = registerSchema(api, "restart-a-value", SCHEMA_A);
            int idASameSchemaElsewhere = registerSchema(api, "restart-c-value", SCHEMA_A);
            int idB = registerSchema(api, "restart-b-value", SCHEMA_B);
            Response byId = api.get("/schemas/ids/" + idA);
            Response level = api.get("/config/restart-a-value");
            Response duplicate = api.post("/v1/event-types", claimEventType("Restarted"));

            assertThat(type.status()).isEqualTo(200);
            assertThat(type.json().at("/sensitiveFields/0/path").asString()).isEqualTo("/member/ssn");
            assertThat(appRead.json().at("/tokens/0/id").asString()).isEqualTo(token);
            assertThat(sub.json().path("topic").asString()).isEqualTo("eventing.sub.restart-sub");
            assertThat(gone.status()).isEqualTo(404);
            assertThat(idAAgain).isEqualTo(idA);
            assertThat(idASameSchemaElsewhere).isEqualTo(idA);
            assertThat(idB).isGreaterThan(idA);
            assertThat(byId.json().path("schema").asString()).contains("RestartA");
            assertThat(level.json().path("compatibilityLevel").asString()).isEqualTo("FULL");
            assertThat(duplicate.status()).isEqualTo(409);
        }
    }

    private static int registerSchema(AdminApiServer api, String subject, String body) {
        Response r = api.send(api.request("/subjects/" + subject + "/versions", true)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().path("id").asInt();
    }
}
