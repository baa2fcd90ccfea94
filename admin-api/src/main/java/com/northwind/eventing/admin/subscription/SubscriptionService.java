package com.northwind.eventing.admin.subscription;

import com.northwind.eventing.admin.app.AppService;
import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.kafka.RegistryUnavailableException;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/** Subscriptions, kept on {@code eventing.registry.subscriptions}; each has its own topic. */
@Service
class SubscriptionService implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(SubscriptionService.class);

    private final CompactedTopic<Subscription> topic;
    private final AppService apps;
    private final Admin admin;
    private final AdminProperties properties;
    private final Clock clock;

    SubscriptionService(
            AdminProperties properties, RegistryTopicFactory topics, Admin admin, AppService apps, Clock clock) {
        this.properties = properties;
        this.admin = admin;
        this.apps = apps;
        this.clock = clock;
        this.topic = topics.open(RegistryTopics.SUBSCRIPTIONS, Subscription.class);
    }

    List<Subscription> list() {
        return topic.values().stream()
                .sorted(Comparator.comparing(Subscription::id))
                .toList();
    }

    Subscription get(String id) {
        return topic.get(id).orElseThrow(() -> new NotFoundException("subscription " + id + " does not exist"));
    }

    /** Checks the request, creates the target topic, then records the subscription. */
    synchronized Subscription create(SubscriptionRequest r) {
        Subscription s = new Subscription(
                r.id(),
                r.app(),
                r.eventTypes(),
                r.tags(),
                r.synthetic(),
                r.filter(),
                r.include(),
                r.topic() == null || r.topic().isBlank()
                        ? Subscription.defaultTopic(r.id() == null ? "" : r.id())
                        : r.topic(),
                r.partitions() == null ? properties.subscriptions().defaultPartitions() : r.partitions(),
                clock.instant());
        if (apps.find(s.app()).isEmpty()) {
            throw new ValidationException("/app", "app " + s.app() + " is not registered");
        }
        if (topic.get(s.id()).isPresent()) {
            throw new ConflictException("subscription " + s.id() + " already exists");
        }
        Optional<Subscription> sameTopic =
                topic.values().stream().filter(o -> o.topic().equals(s.topic())).findFirst();
        if (sameTopic.isPresent()) {
            throw new ConflictException("topic " + s.topic() + " already belongs to subscription "
                    + sameTopic.get().id());
        }
        createTopic(s);
        topic.write(s.id(), s);
        return s;
    }

    private void createTopic(Subscription s) {
        int rf = properties.subscriptions().replicationFactor();
        NewTopic t = new NewTopic(
                s.topic(), Optional.of(s.partitions()), rf < 0 ? Optional.empty() : Optional.of((short) rf));
        Duration timeout = properties.registry().writeTimeout();
        try {
            admin.createTopics(List.of(t)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created topic {} for subscription {}", s.topic(), s.id());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                log.info("Topic {} for subscription {} exists already; using it", s.topic(), s.id());
                return;
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.InvalidReplicationFactorException
                    || e.getCause() instanceof org.apache.kafka.common.errors.InvalidPartitionsException
                    || e.getCause() instanceof org.apache.kafka.common.errors.PolicyViolationException) {
                throw new ValidationException(
                        "/partitions",
                        "Kafka refused the topic: " + e.getCause().getMessage());
            }
            throw new RegistryUnavailableException(
                    "could not create topic " + s.topic() + ": " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException("Kafka did not create topic " + s.topic() + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while creating topic " + s.topic());
        }
    }

    /**
     * Deletes the subscription: nothing more is routed to its topic. The topic itself stays unless asked, so a
     * consumer can drain what it holds.
     */
    synchronized Subscription delete(String id, boolean deleteTopic) {
        Subscription s = get(id);
        topic.write(id, null);
        if (deleteTopic) {
            try {
                admin.deleteTopics(List.of(s.topic()))
                        .all()
                        .get(properties.registry().writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new RegistryUnavailableException("subscription " + id + " is deleted but its topic " + s.topic()
                        + " could not be: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted while deleting topic " + s.topic());
            }
        }
        return s;
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
