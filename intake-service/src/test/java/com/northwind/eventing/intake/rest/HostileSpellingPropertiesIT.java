package com.northwind.eventing.intake.rest;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.web.testing.RawHttp;
import java.net.URI;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.TopicPartition;

/**
 * The publish paths spelled otherwise, generated: a forbidden piece (path parameter, empty or dot segment, backslash,
 * an escape of a letter, '/', '.', '%' or NUL, a malformed escape) put anywhere into {@code /v1/events} or
 * {@code /v1/events/batch}, sent with a valid app token and a valid event. The servlet container would map several of
 * these to the publish servlet; none is served, each is a problem within a second, and the firehose does not move.
 */
class HostileSpellingPropertiesIT {
    private static KafkaBroker kafka;
    private static IntakePlatform platform;
    private static RawHttp intake;
    private static String token;
    private static Map<TopicPartition, Long> before;

    @BeforeContainer
    static void start() {
        kafka = KafkaClusterExtension.startBroker();
        platform = new IntakePlatform(kafka).start();
        platform.registerEventType(claimType("Spelled"));
        token = platform.registerApp(app("spelled", "Claim.*.*"));
        intake = new RawHttp("127.0.0.1", URI.create(platform.intakeUrl()).getPort());
        before = Firehose.endOffsets(kafka);
    }

    @AfterContainer
    static void stop() {
        try {
            assertThat(Firehose.endOffsets(kafka))
                    .as("the firehose after every hostile spelling")
                    .isEqualTo(before);
        } finally {
            platform.close();
            kafka.close();
        }
    }

    @Property(tries = 300)
    void shouldServeNoSpellingOfPublishPathWhenItHasAForbiddenPiece(
            @ForAll("paths") String path, @ForAll("forbidden") String piece, @ForAll int where) {
        // given a publish path with a forbidden piece somewhere after its leading '/'
        int at = 1 + Math.floorMod(where, path.length());
        String spelled = path.substring(0, at) + piece + path.substring(at);
        String body = path.endsWith("batch") ? "{\"events\": [" + claim("Spelled", "b") + "]}" : claim("Spelled", "s");

        // when
        RawHttp.Answer a =
                intake.send("POST", spelled, body, "Authorization: Bearer " + token, "Content-Type: application/json");

        // then
        assertThat(a.status()).as(spelled).isBetween(400, 499);
        assertThat(a.contentType()).as(spelled).startsWith("application/problem+json");
        assertThat(a.millis()).as(spelled).isLessThan(1000);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("/v1/events", "/v1/events/batch");
    }

    @Provide
    Arbitrary<String> forbidden() {
        return Arbitraries.of(
                ";",
                ";x=1",
                ";jsessionid=1",
                "//",
                "/.",
                "/./",
                "/..",
                "/x/..",
                "\\",
                "%2F",
                "%2f",
                "%5C",
                "%2E",
                "%2e%2e",
                "%25",
                "%00",
                "%0A",
                "%76",
                "%65",
                "%31",
                "%7E",
                "%",
                "%g",
                "%4");
    }
}
