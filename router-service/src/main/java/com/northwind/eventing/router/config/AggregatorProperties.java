package com.northwind.eventing.router.config;

import com.northwind.eventing.router.aggregation.AggregatorTopology;
import com.northwind.eventing.router.topology.RouterTopology;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The aggregator's configuration, checked at start: a Kafka Streams application of its own beside the router, sharing
 * the router's Kafka settings and schema registry.
 *
 * @param enabled whether the router process runs the aggregator; on unless set to false
 * @param applicationId the Streams application id: consumer group, transactional id prefix, internal topics (the
 *     repartition topic and the state changelogs)
 * @param commitInterval how often its transaction commits: an output is readable once committed; 100 ms unless set,
 *     10 ms to 10 s
 * @param numStreamThreads stream threads; 1 unless set, as the router's threads take the cores for routing
 * @param closeTimeout how long stop waits for Streams to commit and close
 */
@ConfigurationProperties(prefix = "eventing.aggregator")
public record AggregatorProperties(
        Boolean enabled, String applicationId, Duration commitInterval, int numStreamThreads, Duration closeTimeout) {
    private static final Duration MIN_COMMIT_INTERVAL = Duration.ofMillis(10);
    private static final Duration MAX_COMMIT_INTERVAL = Duration.ofSeconds(10);

    public AggregatorProperties {
        enabled = enabled == null || enabled;
        applicationId = applicationId == null || applicationId.isBlank()
                ? AggregatorTopology.DEFAULT_APPLICATION_ID
                : applicationId;
        commitInterval = commitInterval == null ? RouterTopology.DEFAULT_COMMIT_INTERVAL : commitInterval;
        if (commitInterval.compareTo(MIN_COMMIT_INTERVAL) < 0 || commitInterval.compareTo(MAX_COMMIT_INTERVAL) > 0) {
            throw new IllegalArgumentException(
                    "eventing.aggregator.commit-interval must be 10ms to 10s, not " + commitInterval.toMillis() + "ms");
        }
        numStreamThreads = numStreamThreads == 0 ? 1 : numStreamThreads;
        if (numStreamThreads < 1) {
            throw new IllegalArgumentException("eventing.aggregator.num-stream-threads must be 1 or more");
        }
        closeTimeout = closeTimeout == null ? Duration.ofSeconds(30) : closeTimeout;
        if (closeTimeout.isNegative() || closeTimeout.isZero()) {
            throw new IllegalArgumentException("eventing.aggregator.close-timeout must be positive");
        }
    }
}
