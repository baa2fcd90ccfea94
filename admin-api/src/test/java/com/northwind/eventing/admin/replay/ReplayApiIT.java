package com.northwind.eventing.admin.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hostile and wrong replay requests: each gets its problem naming the member, and nothing is created. */
@ExtendWith(KafkaClusterExtension.class)
class ReplayApiIT {
    private static ReplayBed bed;
    private static final String FROM = Instant.now().minus(2, ChronoUnit.HOURS).toString();

    @BeforeAll
    static void start(KafkaBroker kafka) throws Exception {
        bed = new ReplayBed(kafka);
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    static Stream<Arguments> refused() {
        String sub = "\"subscription\": \"SUB\"";
        return Stream.of(
                Arguments.of("{" + sub + ", \"from\": \"" + FROM + "\", \"color\": 1}", 400, "malformed-request", null),
                Arguments.of(
                        "{\"subscription\": \"nope\", \"from\": \"" + FROM + "\"}",
                        422,
                        "validation",
                        "/subscription: subscription nope does not exist"),
                Arguments.of(
                        "{\"subscription\": \"../x\", \"from\": \"" + FROM + "\"}",
                        422,
                        "validation",
                        "/subscription: no subscription has that id"),
                Arguments.of(
                        "{\"from\": \"" + FROM + "\"}",
                        422,
                        "validation",
                        "/subscription: subscription is required: the one the replay copies to"),
                Arguments.of(
                        "{" + sub + "}",
                        422,
                        "validation",
                        "/from: from is required: the first receive time to replay"),
                Arguments.of("{" + sub + ", \"from\": \"yesterday\"}", 400, "malformed-request", "/from"),
                Arguments.of("{" + sub + ", \"from\": 12}", 400, "malformed-request", "/from"),
                Arguments.of("{" + sub + ", \"from\": \"2026-13-45T99:00:00Z\"}", 400, "malformed-request", "/from"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"to\": \"2020-01-01T00:00:00Z\"}",
                        422,
                        "validation",
                        "/from: must be before to (2020-01-01T00:00:00Z)"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + Instant.now().plus(1, ChronoUnit.HOURS) + "\", \"to\": \""
                                + Instant.now().plus(2, ChronoUnit.HOURS) + "\"}",
                        422,
                        "validation",
                        "/from: is more than 60 s in the future"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"ratePerSecond\": 50001}",
                        422,
                        "validation",
                        "/ratePerSecond: must be from 1 to 50000"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"ratePerSecond\": 1e400}",
                        422,
                        "validation",
                        "/ratePerSecond: must be a whole number from 1 to 50000"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"ratePerSecond\": 99999999999999999999999}",
                        422,
                        "validation",
                        "/ratePerSecond: must be from 1 to 50000"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"ratePerSecond\": 0}",
                        422,
                        "validation",
                        "/ratePerSecond: must be from 1 to 50000"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"ratePerSecond\": \"fast\"}",
                        400,
                        "malformed-request",
                        "/ratePerSecond"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"colour\": \"x\"}}",
                        400,
                        "malformed-request",
                        "/filter/colour"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"type\": 3}}",
                        400,
                        "malformed-request",
                        "/filter/type"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"tag\": [\"a\", 2]}}",
                        400,
                        "malformed-request",
                        "/filter/tag/1"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"synthetic\": \"maybe\"}}",
                        400,
                        "malformed-request",
                        "/filter/synthetic"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": [1]}",
                        400,
                        "malformed-request",
                        "/filter"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"type\": " + "{\"a\": ".repeat(40)
                                + "1" + "}".repeat(40) + "}}",
                        400,
                        "malformed-request",
                        "/filter/type"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"type\": " + "[".repeat(5000)
                                + "]".repeat(5000) + "}}",
                        400,
                        "malformed-request",
                        null),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"type\": \"Claim\"}}",
                        422,
                        "validation",
                        "/filter/type"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"where\": \"/$gt:1\"}}",
                        422,
                        "validation",
                        "/filter/where"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"where\": \"status\"}}",
                        400,
                        "malformed-request",
                        "/filter/where"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"q\": \"!!!\"}}",
                        422,
                        "validation",
                        "/filter/q"),
                Arguments.of(
                        "{" + sub + ", \"from\": \"" + FROM + "\", \"filter\": {\"tag\": [" + "\"t\",".repeat(16)
                                + "\"t\"]}}",
                        422,
                        "validation",
                        "/filter/tag"),
                Arguments.of("not json", 400, "malformed-request", null));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void shouldAnswerAProblemNamingTheMemberAndCreateNothingWhenTheRequestIsWrong(
            String body, int status, String slug, String named) {
        // given
        int before = bed.api.get("/v1/replays").json().path("replays").size();

        // when
        AdminApiServer.Response r = bed.api.post("/v1/replays", body.replace("SUB", bed.subscription));

        // then
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().path("type").asString()).isEqualTo("urn:eventing:problem:" + slug);
        if (named != null) {
            String said = status == 422
                    ? String.join("\n", r.errors())
                    : r.json().path("detail").asString();
            assertThat(said).startsWith(named);
        }
        assertThat(bed.api.get("/v1/replays").json().path("replays").size()).isEqualTo(before);
    }

    static Stream<Arguments> unknownIds() {
        return Stream.of(
                Arguments.of("/v1/replays/rpl_00000000-0000-0000-0000-000000000000", 404),
                Arguments.of("/v1/replays/nope", 404),
                Arguments.of("/v1/replays/rpl_%2e%2e", 400),
                Arguments.of("/v1/replays/rpl_x%2Fy", 400),
                Arguments.of("/v1/replays/%72pl_00000000-0000-0000-0000-000000000000", 400));
    }

    @ParameterizedTest
    @MethodSource("unknownIds")
    void shouldAnswerAProblemWhenTheReplayIdIsUnknownOrEncoded(String path, int status) {
        // given no such replay

        // when
        AdminApiServer.Response get = bed.api.get(path);
        AdminApiServer.Response delete = bed.api.delete(path);

        // then
        assertThat(get.status()).as(get.body()).isEqualTo(status);
        assertThat(delete.status()).as(delete.body()).isEqualTo(status);
        assertThat(get.contentType()).startsWith("application/problem+json");
    }
}
