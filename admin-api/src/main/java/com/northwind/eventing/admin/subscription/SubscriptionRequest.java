package com.northwind.eventing.admin.subscription;

import com.northwind.eventing.common.model.SyntheticPolicy;
import com.northwind.eventing.common.model.TagFilter;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /v1/subscriptions}.
 *
 * @param topic the target topic; {@code eventing.sub.<id>} when absent
 * @param partitions partitions of the target topic when admin-api creates it; the configured default when absent
 * @param retentionMs how long the target topic keeps copies ({@code retention.ms}); 7 days when absent
 */
public record SubscriptionRequest(
        String id,
        String app,
        List<String> eventTypes,
        TagFilter tags,
        SyntheticPolicy synthetic,
        JsonNode filter,
        List<String> include,
        String topic,
        Integer partitions,
        Long retentionMs) {

    /**
     * The body of {@code PATCH /v1/subscriptions/{id}}: what may change on a subscription that exists.
     *
     * @param retentionMs how long the topic keeps copies from now on
     */
    public record Change(Long retentionMs) {}
}
