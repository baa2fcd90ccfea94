package com.northwind.eventing.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicReplicationTest {
    @Test
    void shouldAddMinInsyncReplicasToTheTopicsConfigsWhenSet() {
        // given
        TopicReplication replication = new TopicReplication(3, 2);

        // when
        NewTopic topic = replication.newTopic("t", Optional.of(6), Map.of("retention.ms", "3600000"));

        // then
        assertThat(topic.replicationFactor()).isEqualTo((short) 3);
        assertThat(topic.numPartitions()).isEqualTo(6);
        assertThat(topic.configs()).isEqualTo(Map.of("retention.ms", "3600000", "min.insync.replicas", "2"));
    }

    @Test
    void shouldLeaveReplicationAndMinInsyncReplicasToTheBrokerWhenUnset() {
        // given
        TopicReplication replication = new TopicReplication(-1, null);

        // when
        NewTopic topic = replication.newTopic("t", Optional.empty(), Map.of());

        // then
        assertThat(topic.replicationFactor()).isEqualTo((short) -1);
        assertThat(topic.configs()).isEmpty();
    }

    @Test
    void shouldNameBothKeysWhenMinInsyncReplicasExceedsAKnownReplicationFactor() {
        // given a replication factor of 2

        // when
        Throwable thrown = catchThrowable(
                () -> TopicReplication.checkMinInsyncReplicas(3, "eventing.firehose.replication-factor", 2));

        // then
        assertThat(thrown)
                .hasMessage("eventing.kafka.min-insync-replicas (3) must not exceed"
                        + " eventing.firehose.replication-factor (2): Kafka would refuse every write to those topics");
    }

    @Test
    void shouldAcceptAnyMinInsyncReplicasWhenTheReplicationFactorIsTheBrokers() {
        // given the broker's default replication (-1), unknown here

        // when
        Throwable thrown = catchThrowable(
                () -> TopicReplication.checkMinInsyncReplicas(3, "eventing.firehose.replication-factor", -1));

        // then
        assertThat(thrown).isNull();
    }

    @Test
    void shouldRefuseMinInsyncReplicasWhenBelowOne() {
        // given a value of 0

        // when
        Throwable thrown = catchThrowable(() -> TopicReplication.checkMinInsyncReplicas(0));

        // then
        assertThat(thrown).hasMessage("eventing.kafka.min-insync-replicas must be 1 or more, not 0");
    }
}
