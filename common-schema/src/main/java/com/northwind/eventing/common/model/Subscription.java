package com.northwind.eventing.common.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.northwind.eventing.common.filter.ContentFilter;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What a consumer app wants delivered to its topic. The value of a record on {@code eventing.registry.subscriptions},
 * keyed by {@link #id()}.
 *
 * @param eventTypes type patterns; an event matching any of them is a candidate
 * @param tags tag filter, never null
 * @param synthetic synthetic policy, never null
 * @param filter content filter on body fields (see {@link ContentFilter}), or null for none
 * @param include top-level body fields to keep (a projection), or empty for the whole body
 * @param topic the Kafka topic the copies go to
 * @param retentionMs how long the topic keeps copies ({@code retention.ms}): {@link #MIN_RETENTION_MS} to {@link
 *     #MAX_RETENTION_MS}; {@link #DEFAULT_RETENTION_MS}, the firehose's default, when absent
 */
public record Subscription(
        String id,
        String app,
        List<String> eventTypes,
        TagFilter tags,
        SyntheticPolicy synthetic,
        JsonNode filter,
        List<String> include,
        String topic,
        int partitions,
        Long retentionMs,
        Instant createdAt) {
    /** Seven days: Kafka's default, and the firehose's least. */
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 60 * 60 * 1000;
    /** One hour: less would drop copies before a consumer restarted after a short outage could read them. */
    public static final long MIN_RETENTION_MS = 60L * 60 * 1000;
    /** 365 days: a subscription topic holds copies for delivery, not an archive; the event store keeps events. */
    public static final long MAX_RETENTION_MS = 365L * 24 * 60 * 60 * 1000;

    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    /** Kafka's own rule for topic names. */
    public static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

    public static final String DEFAULT_TOPIC_PREFIX = "eventing.sub.";

    @JsonCreator
    public Subscription {
        retentionMs = retentionMs == null ? DEFAULT_RETENTION_MS : retentionMs;
        eventTypes = Violations.copyOf(eventTypes);
        include = Violations.copyOf(include);
        tags = tags == null ? TagFilter.NONE : tags;
        synthetic = synthetic == null ? SyntheticPolicy.EXCLUDE : synthetic;
        if (filter != null && (filter.isNull() || filter.isMissingNode())) {
            filter = null;
        }
        Violations v = new Violations();
        if (id == null || id.isEmpty()) {
            v.add("/id", "subscription id is required");
        } else if (!ID.matcher(id).matches()) {
            v.add(
                    "/id",
                    "subscription id '" + id
                            + "' must be lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 100 characters");
        }
        App.checkId(v, "/app", "app", app);
        if (eventTypes.isEmpty()) {
            v.add("/eventTypes", "at least one event type pattern is required, such as Claim.Submitted.*");
        }
        for (int i = 0; i < eventTypes.size(); i++) {
            String p = eventTypes.get(i);
            v.check("/eventTypes/" + i, () -> TypePattern.parse(p));
        }
        JsonNode f = filter;
        v.check("/filter", () -> ContentFilter.parse(f));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < include.size(); i++) {
            String field = include.get(i);
            if (field == null || field.isEmpty()) {
                v.add("/include/" + i, "a field name is required");
            } else if (!seen.add(field)) {
                v.add("/include/" + i, "field '" + field + "' is listed twice");
            }
        }
        if (topic == null || !TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            v.add("/topic", "topic '" + topic + "' is not a valid Kafka topic name (letters, digits, '.', '_', '-')");
        } else if (topic.startsWith("eventing.") && !topic.startsWith(DEFAULT_TOPIC_PREFIX)) {
            v.add("/topic", "topics under 'eventing.' are the platform's own; use another name or the default");
        } else if (topic.startsWith("_")) {
            v.add("/topic", "topics starting with '_' are internal to Kafka and its tools");
        }
        if (partitions < 1 || partitions > 1000) {
            v.add("/partitions", "partitions must be between 1 and 1000");
        }
        if (retentionMs < MIN_RETENTION_MS || retentionMs > MAX_RETENTION_MS) {
            v.add(
                    "/retentionMs",
                    "retentionMs must be between " + MIN_RETENTION_MS + " (1 hour) and " + MAX_RETENTION_MS
                            + " (365 days)");
        }
        v.throwIfAny();
    }

    /** A subscription whose topic keeps copies for {@link #DEFAULT_RETENTION_MS}. */
    public Subscription(
            String id,
            String app,
            List<String> eventTypes,
            TagFilter tags,
            SyntheticPolicy synthetic,
            JsonNode filter,
            List<String> include,
            String topic,
            int partitions,
            Instant createdAt) {
        this(id, app, eventTypes, tags, synthetic, filter, include, topic, partitions, null, createdAt);
    }

    /** The same subscription with another retention. */
    public Subscription withRetentionMs(long retention) {
        return new Subscription(
                id, app, eventTypes, tags, synthetic, filter, include, topic, partitions, retention, createdAt);
    }

    public static String defaultTopic(String id) {
        return DEFAULT_TOPIC_PREFIX + id;
    }

    public List<TypePattern> typePatterns() {
        return eventTypes.stream().map(TypePattern::parse).toList();
    }

    public boolean wantsType(EventTypeName type) {
        return typePatterns().stream().anyMatch(p -> p.matches(type));
    }
}
