package com.northwind.eventing.common.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The replication of a topic the platform creates: how many replicas it has, and how many of them must hold a write
 * before an {@code acks=all} producer (every producer of the platform) is told it succeeded. Every topic the platform
 * creates is described here ({@link #newTopic}), so that {@code eventing.kafka.min-insync-replicas} reaches each of
 * them; a topic that exists already is left as it is.
 *
 * @param factor replicas; -1 for the broker's {@code default.replication.factor}
 * @param minInsyncReplicas the topic's {@code min.insync.replicas}; null for the broker's default
 */
public record TopicReplication(int factor, Integer minInsyncReplicas) {
    /** The one key every service reads the topics' {@code min.insync.replicas} from. */
    public static final String MIN_INSYNC_REPLICAS_KEY = "eventing.kafka.min-insync-replicas";

    public TopicReplication {
        if (factor == 0 || factor < -1 || factor > Short.MAX_VALUE) {
            throw new IllegalArgumentException("a replication factor must be -1 or 1 to 32767, not " + factor);
        }
        if (minInsyncReplicas != null && (minInsyncReplicas < 1 || (factor > 0 && minInsyncReplicas > factor))) {
            throw new IllegalArgumentException("min.insync.replicas must be 1 to the replication factor (" + factor
                    + "), not " + minInsyncReplicas);
        }
    }

    /**
     * Checks the configured {@value #MIN_INSYNC_REPLICAS_KEY} on its own (1 or more); null stays null.
     *
     * @throws IllegalArgumentException naming the key
     */
    public static Integer checkMinInsyncReplicas(Integer minInsyncReplicas) {
        if (minInsyncReplicas != null && minInsyncReplicas < 1) {
            throw new IllegalArgumentException(
                    MIN_INSYNC_REPLICAS_KEY + " must be 1 or more, not " + minInsyncReplicas);
        }
        return minInsyncReplicas;
    }

    /**
     * Checks the configured {@value #MIN_INSYNC_REPLICAS_KEY} against a replication factor the configuration gives
     * ({@code replicationKey}); a factor of -1 (the broker's default) is not known here and passes.
     *
     * @throws IllegalArgumentException naming both keys: more in-sync replicas than replicas would refuse every write
     */
    public static void checkMinInsyncReplicas(Integer minInsyncReplicas, String replicationKey, int factor) {
        if (minInsyncReplicas != null && factor > 0 && minInsyncReplicas > factor) {
            throw new IllegalArgumentException(MIN_INSYNC_REPLICAS_KEY + " (" + minInsyncReplicas
                    + ") must not exceed " + replicationKey + " (" + factor
                    + "): Kafka would refuse every write to those topics");
        }
    }

    /** The topic to create: this replication, and {@code configs} with the {@code min.insync.replicas} when set. */
    public NewTopic newTopic(String name, Optional<Integer> partitions, Map<String, String> configs) {
        Map<String, String> all = new HashMap<>(configs);
        if (minInsyncReplicas != null) {
            all.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, minInsyncReplicas.toString());
        }
        return new NewTopic(name, partitions, factor < 0 ? Optional.empty() : Optional.of((short) factor)).configs(all);
    }
}
