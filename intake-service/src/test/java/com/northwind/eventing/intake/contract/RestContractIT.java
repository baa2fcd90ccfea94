package com.northwind.eventing.intake.contract;

import static com.northwind.eventing.intake.support.Events.claim;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The publish contract over REST, and what only REST has: HTTP statuses, media types, body size. */
class RestContractIT extends PublishContract {
    @Override
    protected Transport transport(IntakePlatform platform) {
        return new RestTransport(platform);
    }

    @Test
    void shouldAnswerTheDocumentedStatusForEachRefusal() {
        assertThat(post(null, claim("Contract", "t")).statusCode()).isEqualTo(401);
        assertThat(post(token, claim("Other", "t")).statusCode()).isEqualTo(403);
        assertThat(post(token, claim("Contract", "t").replace("125.5", "\"x\"")).statusCode())
                .isEqualTo(422);
        assertThat(post(token, "{\"noun\": ").statusCode()).isEqualTo(400);
        assertThat(post(token, claim("Contract", "t").replace("125.5", "1e200000"))
                        .statusCode())
                .isEqualTo(400);
        assertThat(post(token, claim("Contract", "t").replace("\"NEW\"", "\"\\ud800\""))
                        .statusCode())
                .isEqualTo(400);
        assertThat(post(token, claim("Contract", "t").replace("2026-11-22T10:15:30Z", "+999999999-12-31T23:59:59Z"))
                        .statusCode())
                .isEqualTo(422);
        assertThat(post(token, claim("Contract", "t").replace("state:TX", "state\\u0000TX"))
                        .statusCode())
                .isEqualTo(422);
        assertThat(post(
                                token,
                                claim("Contract", "t")
                                        .replace("\"synthetic\"", "\"x\"")
                                        .replace("\"tags\":", "\"tags\": 5, \"x\":"))
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void shouldSayWWWAuthenticateWhenUnauthorized() {
        HttpResponse<String> r = post(null, claim("Contract", "t"));

        assertThat(r.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void shouldRefuseMalformedJsonWrongTypesAndDuplicateKeysWith400() {
        assertMalformed("{\"noun\": ");
        assertMalformed(
                claim("Contract", "t").replace("\"tags\": [\"state:TX\", \"channel:web\"]", "\"tags\": \"state:TX\""));
        assertMalformed(
                claim("Contract", "t").replace("\"noun\": \"Claim\",", "\"noun\": \"Claim\", \"noun\": \"Claim\","));
        assertMalformed(claim("Contract", "t").replace("\"synthetic\"", "x").replace("\"verb\"", "\"verbs\""));
        assertMalformed("[1, 2]");
        assertMalformed("");
        assertMalformed("null");
    }

    @Test
    void shouldCountEventsByOutcomeAppAndRegisteredTypeForPrometheus() {
        String contract = "type=\"Claim.Submitted.Contract\"";
        double published = metric("eventing_intake_events_total", "outcome=\"published\"", contract);
        double invalid = metric("eventing_intake_events_total", "outcome=\"invalid\"", contract);
        double unregistered = metric("eventing_intake_events_total", "type=\"unregistered\"");
        double acknowledged = metric("eventing_intake_acknowledgement_seconds_count");

        assertThat(post(token, claim("Contract", "m1")).statusCode()).isEqualTo(202);
        assertThat(post(token, claim("Contract", "m2").replace("125.5", "\"x\""))
                        .statusCode())
                .isEqualTo(422);
        // A type nobody registered is not a series of its own: the name is the publisher's to invent.
        assertThat(post(token, claim("Contract", "m3").replace("\"Contract\"", "\"Invented\""))
                        .statusCode())
                .isEqualTo(403);

        assertThat(metric("eventing_intake_events_total", "outcome=\"published\"", contract))
                .isEqualTo(published + 1);
        assertThat(metric("eventing_intake_events_total", "outcome=\"invalid\"", contract))
                .isEqualTo(invalid + 1);
        assertThat(metric("eventing_intake_events_total", "type=\"unregistered\""))
                .isEqualTo(unregistered + 1);
        assertThat(scrape()).doesNotContain("Invented");
        assertThat(metric("eventing_intake_acknowledgement_seconds_count")).isEqualTo(acknowledged + 1);
    }

    /** The sum of a metric's samples on /actuator/prometheus whose labels hold each of {@code labels}; 0 if none. */
    private static double metric(String name, String... labels) {
        return scrape().lines()
                .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .filter(l -> java.util.Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l ->
                        Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1).trim()))
                .sum();
    }

    private static String scrape() {
        return platform.send(HttpRequest.newBuilder(URI.create(platform.intakeUrl() + "/actuator/prometheus")))
                .body();
    }

    @Test
    void shouldAnswer405WithAllowForOtherMethods() {
        HttpResponse<String> r = platform.send(request(token).GET());

        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
        assertThat(IntakePlatform.json(r.body()).path("type").asString())
                .isEqualTo("urn:eventing:problem:method-not-allowed");
    }

    @Test
    void shouldReadTheCharsetTheContentTypeNames() {
        HttpResponse<String> r = platform.send(request(token)
                .header("Content-Type", "application/json; charset=UTF-16")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        claim("Contract", "utf16").getBytes(java.nio.charset.StandardCharsets.UTF_16))));
        HttpResponse<String> unknown = platform.send(request(token)
                .header("Content-Type", "application/json; charset=x-no-such-charset")
                .POST(HttpRequest.BodyPublishers.ofString(claim("Contract", "t"))));

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        assertThat(unknown.statusCode()).isEqualTo(415);
    }

    @Test
    void shouldRefuseNonJsonWith415() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        HttpResponse<String> r = platform.send(request(token)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(claim("Contract", "t"))));

        assertThat(r.statusCode()).isEqualTo(415);
        assertThat(IntakePlatform.json(r.body()).path("type").asString())
                .isEqualTo("urn:eventing:problem:unsupported-media-type");
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
    }

    @Test
    void shouldRefuseBodiesOverOneMebibyteWith413() {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        String huge = claim("Contract", "t")
                .replace("\"status\": \"NEW\"", "\"status\": \"" + "x".repeat(1024 * 1024) + "\"");

        HttpResponse<String> sized = post(token, huge);
        HttpResponse<String> chunked = platform.send(request(token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() ->
                        new java.io.ByteArrayInputStream(huge.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));

        assertThat(sized.statusCode()).isEqualTo(413);
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(IntakePlatform.json(chunked.body()).path("type").asString())
                .isEqualTo("urn:eventing:problem:payload-too-large");
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
    }

    @Test
    void shouldAnswer429WithRetryAfter() {
        String limited = platform.registerApp(
                """
                {"id": "rest-slow-%s", "team": "t", "publish": ["Claim.*.*"], "rateLimit": {"eventsPerSecond": 1, "burst": 1}}
                """.formatted(java.util.UUID.randomUUID().toString().substring(0, 8)));
        // The limit is taken before validation: warmed up, the two events come well within its second.
        post(token, claim("Contract", "t0"));
        post(limited, claim("Contract", "t1"));

        HttpResponse<String> r = post(limited, claim("Contract", "t2"));

        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
    }

    private void assertMalformed(String body) {
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());

        HttpResponse<String> r = post(token, body);

        assertThat(r.statusCode())
                .as(body.length() > 200 ? body.substring(0, 200) : body)
                .isEqualTo(400);
        assertThat(IntakePlatform.json(r.body()).path("type").asString())
                .isEqualTo("urn:eventing:problem:malformed-request");
        assertThat(Firehose.endOffsets(platform.kafka())).isEqualTo(before);
    }

    private HttpResponse<String> post(String token, String body) {
        return platform.send(request(token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpRequest.Builder request(String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.intakeUrl() + "/v1/events"));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }
}
