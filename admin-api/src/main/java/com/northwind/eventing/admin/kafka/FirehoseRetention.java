package com.northwind.eventing.admin.kafka;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.common.model.EventType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Keeps the firehose's {@code retention.ms} at the longest retention an event type asks for ({@code retentionDays}),
 * held between {@link FirehoseProperties#MIN_RETENTION} and {@code eventing.firehose.max-retention}: the firehose is
 * where events are replayed from, so it keeps them as long as the store may, within what the platform pays for.
 *
 * <p>It is set when an event type is created or changed, and again every {@code retention-check-interval}: the intake
 * creates the firehose, possibly after admin-api started. A failure to set it is logged and tried again then; it never
 * fails the registry write that asked for it.
 */
@Component
@EnableConfigurationProperties(FirehoseProperties.class)
public class FirehoseRetention implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(FirehoseRetention.class);

    private final FirehoseProperties properties;
    private final Admin admin;
    private final Duration timeout;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "eventing-firehose-retention");
        t.setDaemon(true);
        return t;
    });

    FirehoseRetention(FirehoseProperties properties, AdminProperties admins, Admin admin) {
        this.properties = properties;
        this.admin = admin;
        this.timeout = admins.registry().writeTimeout();
    }

    /** Sets the retention now, and again every check interval, from the event types the supplier gives then. */
    public void follow(Supplier<Collection<EventType>> types) {
        long every = properties.retentionCheckInterval().toMillis();
        checks.scheduleWithFixedDelay(
                () -> {
                    // A check that threw would end the schedule: every failure is logged and the next check runs.
                    try {
                        update(types.get());
                    } catch (RuntimeException e) {
                        log.warn("Could not read the event types for the firehose's retention: {}", e.toString());
                    }
                },
                0,
                every,
                TimeUnit.MILLISECONDS);
    }

    /** The firehose's retention for these event types. */
    public Duration retention(Collection<EventType> types) {
        Duration longest = Duration.ofDays(
                types.stream().mapToInt(EventType::retentionDays).max().orElse(0));
        Duration bounded = longest.compareTo(properties.maxRetention()) > 0 ? properties.maxRetention() : longest;
        return bounded.compareTo(FirehoseProperties.MIN_RETENTION) < 0 ? FirehoseProperties.MIN_RETENTION : bounded;
    }

    /**
     * Sets the firehose's retention for these event types; false when it could not (the firehose does not exist yet,
     * or Kafka did not answer), and the next check tries again.
     */
    public synchronized boolean update(Collection<EventType> types) {
        Duration retention = retention(types);
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, properties.topic());
        AlterConfigOp set = new AlterConfigOp(
                new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())),
                AlterConfigOp.OpType.SET);
        try {
            admin.incrementalAlterConfigs(Map.of(topic, List.of(set)))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.debug("Firehose {} keeps events for {}", properties.topic(), retention);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                log.info("Firehose {} does not exist yet; its retention is set once it does", properties.topic());
            } else {
                log.warn(
                        "Could not set the retention of firehose {}; trying again in {}: {}",
                        properties.topic(),
                        properties.retentionCheckInterval(),
                        e.getCause().toString());
            }
        } catch (TimeoutException e) {
            log.warn("Kafka did not set the retention of firehose {} within {}", properties.topic(), timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("Could not set the retention of firehose {}: {}", properties.topic(), e.toString());
        }
        return false;
    }

    @Override
    public void destroy() {
        checks.shutdownNow();
    }
}
