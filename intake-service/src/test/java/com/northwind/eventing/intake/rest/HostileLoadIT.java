package com.northwind.eventing.intake.rest;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A body holding {@code 1e200000} once cost some 14 s of CPU in JSON Schema validation ({@code multipleOf} on a
 * BigDecimal of that scale), so a few at once stalled the intake. Now it is refused as it is read: at once, while
 * other producers' events go on being published.
 */
@ExtendWith(KafkaClusterExtension.class)
class HostileLoadIT {
    private static final int HOSTILE_THREADS = 4;
    private static final int HOSTILE_EACH = 25;
    private static final int GOOD_THREADS = 2;
    private static final int GOOD_EACH = 50;

    private static IntakePlatform platform;
    private static String token;

    @BeforeAll
    static void start(KafkaBroker kafka) {
        platform = new IntakePlatform(kafka).start();
        platform.registerEventType(claimType("Load").replace("\"minimum\": 0", "\"minimum\": 0, \"multipleOf\": 0.01"));
        token = platform.registerApp(app("load", "Claim.*.*"));
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void shouldRefuseHostileNumbersAtOnceWhileOtherPublishesGoOn() throws Exception {
        String hostile = claim("Load", "h").replace("\"amount\": 125.5", "\"amount\": 1e200000");
        for (int i = 0; i < 20; i++) {
            platform.postEvent("/v1/events", token, claim("Load", "warm-" + i));
            platform.postEvent("/v1/events", token, hostile);
        }
        Map<TopicPartition, Long> before = Firehose.endOffsets(platform.kafka());
        ExecutorService pool = Executors.newFixedThreadPool(HOSTILE_THREADS + GOOD_THREADS);
        List<Future<List<Timed>>> hostileRuns = new ArrayList<>();
        List<Future<List<Timed>>> goodRuns = new ArrayList<>();

        for (int t = 0; t < HOSTILE_THREADS; t++) {
            hostileRuns.add(pool.submit(posting(HOSTILE_EACH, i -> hostile)));
        }
        for (int t = 0; t < GOOD_THREADS; t++) {
            int thread = t;
            goodRuns.add(pool.submit(posting(GOOD_EACH, i -> claim("Load", "good-" + thread + "-" + i))));
        }
        List<Timed> hostileAnswers = collect(hostileRuns);
        List<Timed> goodAnswers = collect(goodRuns);
        pool.shutdown();

        assertThat(hostileAnswers).hasSize(HOSTILE_THREADS * HOSTILE_EACH).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body().path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
            assertThat(a.body().at("/errors/0/pointer").asString()).isEqualTo("/body/amount");
            assertThat(a.millis()).isLessThan(1000);
        });
        assertThat(goodAnswers).hasSize(GOOD_THREADS * GOOD_EACH).allSatisfy(a -> {
            assertThat(a.status()).isEqualTo(202);
            assertThat(a.millis()).isLessThan(1000);
        });
        assertThat(Firehose.total(Firehose.endOffsets(platform.kafka())) - Firehose.total(before))
                .isEqualTo(GOOD_THREADS * GOOD_EACH);
    }

    private record Timed(int status, JsonNode body, long millis) {}

    private static Callable<List<Timed>> posting(int count, java.util.function.IntFunction<String> event) {
        return () -> {
            List<Timed> answers = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long started = System.nanoTime();
                HttpResponse<String> r = platform.postEvent("/v1/events", token, event.apply(i));
                answers.add(new Timed(
                        r.statusCode(), IntakePlatform.json(r.body()), (System.nanoTime() - started) / 1_000_000));
            }
            return answers;
        };
    }

    private static List<Timed> collect(List<Future<List<Timed>>> runs) throws Exception {
        List<Timed> all = new ArrayList<>();
        for (Future<List<Timed>> run : runs) {
            all.addAll(run.get(5, TimeUnit.MINUTES));
        }
        return all;
    }
}
