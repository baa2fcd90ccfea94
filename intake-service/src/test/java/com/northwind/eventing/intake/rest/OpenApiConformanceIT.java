package com.northwind.eventing.intake.rest;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.web.openapi.OpenApiDocument;
import com.northwind.eventing.web.testing.OpenApiSpec;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Real answers of the intake, receipts and problems, each held to the schema its document gives for the status. */
@ExtendWith(KafkaClusterExtension.class)
class OpenApiConformanceIT {
    private static final OpenApiSpec INTAKE = OpenApiSpec.load(OpenApiDocument.INTAKE);
    private static IntakePlatform platform;
    private static String token;

    @BeforeAll
    static void start(KafkaBroker broker) {
        platform = new IntakePlatform(broker).start();
        platform.registerEventType(claimType("Documented"));
        token = platform.registerApp(app("documented-producer", "Claim.*.*"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    private static void assertConforms(String template, HttpResponse<String> r) {
        String contentType = r.headers().firstValue("Content-Type").orElse("");
        assertThat(INTAKE.answerViolations(
                        "POST", template, r.statusCode(), contentType, IntakePlatform.json(r.body())))
                .as("POST %s answered %d %s", template, r.statusCode(), r.body())
                .isEmpty();
    }

    @Test
    void shouldAnswerDocumentedReceiptWhenEventIsPublished() {
        HttpResponse<String> published = platform.postEvent("/v1/events", token, claim("Documented", "tx-doc-1"));

        assertThat(published.statusCode()).isEqualTo(202);
        assertConforms("/v1/events", published);
    }

    @Test
    void shouldAnswerDocumentedResultsWhenBatchHoldsGoodAndUnknownEvents() {
        String batch =
                "{\"events\": [" + claim("Documented", "tx-doc-2") + ", " + claim("Undocumented", "tx-doc-3") + "]}";

        HttpResponse<String> answered = platform.postEvent("/v1/events/batch", token, batch);

        assertThat(answered.statusCode()).isEqualTo(200);
        assertThat(IntakePlatform.json(answered.body())
                        .at("/results/1/error/type")
                        .asString())
                .isEqualTo("urn:eventing:problem:unknown-event-type");
        assertConforms("/v1/events/batch", answered);
    }

    @Test
    void shouldAnswerDocumentedProblemsWhenPublishIsRefused() {
        HttpResponse<String> unauthorized = platform.postEvent("/v1/events", null, claim("Documented", "tx-doc-4"));
        HttpResponse<String> unknown = platform.postEvent("/v1/events", token, claim("Undocumented", "tx-doc-5"));
        HttpResponse<String> malformed = platform.postEvent("/v1/events", token, "{\"noun\": 42}");

        assertThat(unauthorized.statusCode()).isEqualTo(401);
        assertConforms("/v1/events", unauthorized);
        assertThat(unknown.statusCode()).isEqualTo(422);
        assertConforms("/v1/events", unknown);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertConforms("/v1/events", malformed);
    }

    @Test
    void shouldServeItsDocumentOpenlyWhenAskedWithoutCredential() {
        HttpResponse<String> json =
                platform.send(HttpRequest.newBuilder(URI.create(platform.intakeUrl() + "/openapi.json")));
        HttpResponse<String> yaml =
                platform.send(HttpRequest.newBuilder(URI.create(platform.intakeUrl() + "/openapi.yaml")));

        assertThat(json.statusCode()).isEqualTo(200);
        assertThat(json.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
        assertThat(IntakePlatform.json(json.body())).isEqualTo(INTAKE.root());
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.headers().firstValue("Content-Type")).hasValue("application/yaml");
        assertThat(yaml.headers().firstValue("Cache-Control")).hasValue("max-age=300, public");
    }
}
