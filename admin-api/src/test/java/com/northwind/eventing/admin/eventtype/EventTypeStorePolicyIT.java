package com.northwind.eventing.admin.eventtype;

import static com.northwind.eventing.admin.Fixtures.claimEventType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store policy of an event type, set with the type and versioned with it, on the real admin-api and broker. */
@ExtendWith(KafkaClusterExtension.class)
class EventTypeStorePolicyIT {
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        api = new AdminApiServer(broker).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldShowRedactWhenTypeIsCreatedWithoutAPolicy() {
        Response created = api.post("/v1/event-types", claimEventType("PolicyDefault"));

        Response read = api.get("/v1/event-types/Claim.Submitted.PolicyDefault");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().path("storePolicy").asString()).isEqualTo("REDACT");
        assertThat(read.json().path("storePolicy").asString()).isEqualTo("REDACT");
    }

    @Test
    void shouldKeepThePolicyGivenWhenTypeIsCreatedWithOne() {
        Response created = api.post("/v1/event-types", withPolicy(claimEventType("PolicyKeep"), "KEEP"));

        Response read = api.get("/v1/event-types/Claim.Submitted.PolicyKeep");

        assertThat(created.status()).isEqualTo(201);
        assertThat(read.json().path("storePolicy").asString()).isEqualTo("KEEP");
        assertThat(read.json().path("version").asInt()).isEqualTo(1);
    }

    @Test
    void shouldMakeANewVersionWhenOnlyThePolicyChanges() {
        api.post("/v1/event-types", withPolicy(claimEventType("PolicyChange"), "REMOVE"));

        Response updated = api.put(
                "/v1/event-types/Claim.Submitted.PolicyChange", withPolicy(claimEventType("PolicyChange"), "NONE"));
        Response same = api.put(
                "/v1/event-types/Claim.Submitted.PolicyChange", withPolicy(claimEventType("PolicyChange"), "NONE"));
        Response first = api.get("/v1/event-types/Claim.Submitted.PolicyChange?version=1");

        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().path("version").asInt()).isEqualTo(2);
        assertThat(updated.json().path("storePolicy").asString()).isEqualTo("NONE");
        assertThat(same.json().path("version").asInt()).isEqualTo(2);
        assertThat(first.json().path("storePolicy").asString()).isEqualTo("REMOVE");
    }

    @Test
    void shouldAnswer422AtStorePolicyAndRegisterNothingWhenThePolicyIsUnknown() {
        Response r = api.post("/v1/event-types", withPolicy(claimEventType("PolicyUnknown"), "ENCRYPT"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:validation");
        assertThat(r.errors()).containsExactly("/storePolicy: storePolicy must be one of [REDACT, REMOVE, KEEP, NONE]");
        assertThat(api.get("/v1/event-types/Claim.Submitted.PolicyUnknown").status())
                .isEqualTo(404);
    }

    @Test
    void shouldAnswer422AndKeepTheVersionWhenAnUpdateNamesAnUnknownPolicy() {
        api.post("/v1/event-types", withPolicy(claimEventType("PolicyBadUpdate"), "KEEP"));

        Response r = api.put(
                "/v1/event-types/Claim.Submitted.PolicyBadUpdate",
                withPolicy(claimEventType("PolicyBadUpdate"), "redact"));
        Response read = api.get("/v1/event-types/Claim.Submitted.PolicyBadUpdate");

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors()).containsExactly("/storePolicy: storePolicy must be one of [REDACT, REMOVE, KEEP, NONE]");
        assertThat(read.json().path("version").asInt()).isEqualTo(1);
        assertThat(read.json().path("storePolicy").asString()).isEqualTo("KEEP");
    }

    @Test
    void shouldAnswer422AtStorePolicyWhenItIsANumber() {
        String body =
                claimEventType("PolicyNumber").replace("\"retentionDays\"", "\"storePolicy\": 3, \"retentionDays\"");

        Response r = api.post("/v1/event-types", body);

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errors()).containsExactly("/storePolicy: storePolicy must be one of [REDACT, REMOVE, KEEP, NONE]");
    }

    private static String withPolicy(String eventType, String policy) {
        return eventType.replace("\"retentionDays\"", "\"storePolicy\": \"" + policy + "\", \"retentionDays\"");
    }
}
