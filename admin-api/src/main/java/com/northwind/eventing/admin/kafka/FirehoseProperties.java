package com.northwind.eventing.admin.kafka;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The firehose as admin-api keeps it: its retention follows the longest event type retention, within bounds.
 *
 * @param topic the firehose topic, as the intake names it ({@code eventing.firehose} by default)
 * @param maxRetention the longest the firehose keeps events, whatever the event types ask: 7 days by default, and never
 *     less than {@link #MIN_RETENTION}
 * @param retentionCheckInterval how often admin-api sets the firehose's retention again, for a firehose created after
 *     admin-api started or changed by hand: every minute by default
 */
@ConfigurationProperties(prefix = "eventing.firehose")
public record FirehoseProperties(String topic, Duration maxRetention, Duration retentionCheckInterval) {
    /** Kafka's default retention, which the firehose had before admin-api set it: it never gets less. */
    public static final Duration MIN_RETENTION = Duration.ofDays(7);

    public FirehoseProperties {
        topic = topic == null || topic.isBlank() ? "eventing.firehose" : topic;
        maxRetention = maxRetention == null ? MIN_RETENTION : maxRetention;
        retentionCheckInterval = retentionCheckInterval == null ? Duration.ofMinutes(1) : retentionCheckInterval;
        if (maxRetention.compareTo(MIN_RETENTION) < 0) {
            throw new IllegalArgumentException("eventing.firehose.max-retention must be at least " + MIN_RETENTION
                    + ": the firehose is the replay source and never keeps less than it does by default");
        }
        if (retentionCheckInterval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("eventing.firehose.retention-check-interval must be at least 1s");
        }
    }
}
