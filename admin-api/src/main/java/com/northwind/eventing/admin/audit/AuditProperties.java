package com.northwind.eventing.admin.audit;

import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The audit log ({@code eventing.audit.*}), checked at start.
 *
 * @param topic the topic every entry is appended to; never compacted
 * @param retention how long the topic keeps entries: seven years (2557 days) by default, as SOX asks
 * @param collection the event store collection the entries are copied to, in {@code eventing.store.database}
 */
@ConfigurationProperties(prefix = "eventing.audit")
record AuditProperties(String topic, Duration retention, String collection) {
    static final Duration SEVEN_YEARS = Duration.ofDays(2557);
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern COLLECTION = Pattern.compile("[A-Za-z0-9_-]{1,63}");

    AuditProperties {
        topic = topic == null || topic.isBlank() ? "eventing.audit" : topic;
        retention = retention == null ? SEVEN_YEARS : retention;
        collection = collection == null || collection.isBlank() ? "audit" : collection;
        if (!TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException("eventing.audit.topic must be 1 to 249 of A-Z a-z 0-9 . _ -");
        }
        if (retention.compareTo(Duration.ofDays(1)) < 0) {
            throw new IllegalArgumentException(
                    "eventing.audit.retention must be at least 1d (SOX asks for seven years, 2557d, the default)");
        }
        if (!COLLECTION.matcher(collection).matches()) {
            throw new IllegalArgumentException("eventing.audit.collection must be 1 to 63 of A-Z a-z 0-9 _ -");
        }
    }
}
