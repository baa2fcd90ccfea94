package com.northwind.eventing.admin.replay;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How admin-api runs replays ({@code eventing.replay.*}), checked at start.
 *
 * @param maxRunning how many replays copy events at once; more wait their turn, oldest request first
 * @param storeOutage how long the event store may stay unreachable during a replay's store part before the replay
 *     fails
 * @param firehoseIdle how long a worker waits, at the end of a firehose partition whose range is not over yet, between
 *     looks for more records
 */
@ConfigurationProperties(prefix = "eventing.replay")
record ReplayProperties(Integer maxRunning, Duration storeOutage, Duration firehoseIdle) {
    static final int MAX_RUNNING_LIMIT = 64;

    ReplayProperties {
        maxRunning = maxRunning == null ? 4 : maxRunning;
        storeOutage = storeOutage == null ? Duration.ofMinutes(5) : storeOutage;
        firehoseIdle = firehoseIdle == null ? Duration.ofSeconds(1) : firehoseIdle;
        if (maxRunning < 1 || maxRunning > MAX_RUNNING_LIMIT) {
            throw new IllegalArgumentException("eventing.replay.max-running must be 1 to " + MAX_RUNNING_LIMIT);
        }
        if (storeOutage.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("eventing.replay.store-outage must be at least 1s");
        }
        if (firehoseIdle.compareTo(Duration.ofMillis(10)) < 0 || firehoseIdle.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("eventing.replay.firehose-idle must be 10ms to 1m");
        }
    }
}
