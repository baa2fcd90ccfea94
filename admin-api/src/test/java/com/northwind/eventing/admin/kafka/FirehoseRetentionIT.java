package com.northwind.eventing.admin.kafka;

import static com.northwind.eventing.admin.Fixtures.claimEventType;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The firehose's {@code retention.ms} follows the longest event type retention, between 7 days and
 * {@code eventing.firehose.max-retention}, read back from the broker. Each test has a firehose of its own; the event
 * types are the shared broker's, which other tests register with at most 90 days, so these tests use longer ones.
 */
@ExtendWith(KafkaClusterExtension.class)
class FirehoseRetentionIT {
    private static final long DAY = 86_400_000L;

    @Test
    void shouldFollowTheLongestTypeRetentionUpToTheBoundWhenTypesAreCreatedAndChanged(KafkaBroker kafka)
            throws Exception {
        String firehose = "it.firehose.follow";
        createTopic(kafka, firehose);
        try (AdminApiServer api = server(kafka, firehose, "1500d").start()) {
            api.post("/v1/event-types", retention(claimEventType("FirehoseLongest"), 1000));
            long longest = retentionMs(kafka, firehose);
            api.post("/v1/event-types", retention(claimEventType("FirehoseShorter"), 200));
            long stillLongest = retentionMs(kafka, firehose);
            api.put(
                    "/v1/event-types/Claim.Submitted.FirehoseLongest",
                    retention(claimEventType("FirehoseLongest"), 3000));
            long bounded = retentionMs(kafka, firehose);

            assertThat(longest).isEqualTo(1000 * DAY);
            assertThat(stillLongest).isEqualTo(1000 * DAY);
            assertThat(bounded).isEqualTo(1500 * DAY);
        }
    }

    @Test
    void shouldSetTheRetentionWhenTheFirehoseIsCreatedAfterAdminApiStarted(KafkaBroker kafka) throws Exception {
        String firehose = "it.firehose.late";
        try (AdminApiServer api = server(kafka, firehose, "60d").start()) {
            api.post("/v1/event-types", retention(claimEventType("FirehoseLate"), 100));

            createTopic(kafka, firehose);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long retention = retentionMs(kafka, firehose);
            while (retention != 60 * DAY && System.nanoTime() < deadline) {
                Thread.sleep(200);
                retention = retentionMs(kafka, firehose);
            }
            assertThat(retention).isEqualTo(60 * DAY);
        }
    }

    private static AdminApiServer server(KafkaBroker kafka, String firehose, String maxRetention) {
        return new AdminApiServer(
                kafka,
                "--eventing.firehose.topic=" + firehose,
                "--eventing.firehose.max-retention=" + maxRetention,
                "--eventing.firehose.retention-check-interval=1s");
    }

    /** The event type with another retention; its name must not be one another test registered with other days. */
    private static String retention(String eventType, int days) {
        return eventType.replace("\"retentionDays\": 30", "\"retentionDays\": " + days);
    }

    private static void createTopic(KafkaBroker kafka, String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
    }

    private static long retentionMs(KafkaBroker kafka, String topic) throws Exception {
        return Long.parseLong(kafka.topicConfig(topic, "retention.ms"));
    }
}
