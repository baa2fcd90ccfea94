package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.Subscription;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The compacted topics replays are kept and followed on, read to their end before admin-api serves (read_committed:
 * the worker's progress counts only once its batch committed): the requests, the worker's progress, the router's
 * counts, and the subscriptions (a replay fails once its subscription is deleted).
 */
@Component
class ReplayViews implements DisposableBean {
    private final List<CompactedTopic<?>> opened = new ArrayList<>();
    final CompactedTopic<Replay> replays;
    final CompactedTopic<ReplayProgress> progress;
    final CompactedTopic<ReplayCounts> counts;
    final CompactedTopic<Subscription> subscriptions;

    ReplayViews(RegistryTopicFactory topics) {
        try {
            replays = open(topics, Replay.TOPIC, Replay.class);
            progress = open(topics, ReplayProgress.TOPIC, ReplayProgress.class);
            counts = open(topics, ReplayCounts.TOPIC, ReplayCounts.class);
            subscriptions = open(topics, RegistryTopics.SUBSCRIPTIONS, Subscription.class);
        } catch (RuntimeException e) {
            destroy();
            throw e;
        }
    }

    private <V> CompactedTopic<V> open(RegistryTopicFactory topics, String topic, Class<V> type) {
        CompactedTopic<V> t = topics.open(topic, type);
        opened.add(t);
        return t;
    }

    @Override
    public void destroy() {
        opened.forEach(CompactedTopic::close);
    }
}
