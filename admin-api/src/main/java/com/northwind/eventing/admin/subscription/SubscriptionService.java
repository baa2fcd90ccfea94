package com.northwind.eventing.admin.subscription;

import com.northwind.eventing.admin.app.AppService;
import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.admin.eventtype.EventTypeService;
import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.admin.kafkasecurity.AppKafkaAccess;
import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.admin.security.Caller;
import com.northwind.eventing.common.filter.ContentFilter;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.kafka.RegistryUnavailableException;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.TypePattern;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violations;
import com.northwind.eventing.common.redaction.RedactionPlan;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Subscriptions, kept on {@code eventing.registry.subscriptions}; each has its own topic, which belongs to the
 * subscription's app ({@link TopicOwner}, on {@code eventing.registry.topic-owners}).
 */
@Service
public class SubscriptionService implements DisposableBean {
    /** The id a draft without one is checked under: a draft is never recorded, so it needs none of its own. */
    public static final String DRAFT_ID = "draft";

    private static final Logger log = LoggerFactory.getLogger(SubscriptionService.class);

    private final CompactedTopic<Subscription> topic;
    private final CompactedTopic<TopicOwner> owners;
    private final AppService apps;
    private final EventTypeService eventTypes;
    private final Admin admin;
    private final AppKafkaAccess kafka;
    private final AdminProperties properties;
    private final Clock clock;

    SubscriptionService(
            AdminProperties properties,
            RegistryTopicFactory topics,
            Admin admin,
            AppKafkaAccess kafka,
            AppService apps,
            EventTypeService eventTypes,
            Clock clock) {
        this.properties = properties;
        this.admin = admin;
        this.kafka = kafka;
        this.apps = apps;
        this.eventTypes = eventTypes;
        this.clock = clock;
        this.topic = topics.open(RegistryTopics.SUBSCRIPTIONS, Subscription.class);
        try {
            this.owners = topics.open(TopicOwner.TOPIC, TopicOwner.class);
        } catch (RuntimeException e) {
            topic.close();
            throw e;
        }
    }

    public List<Subscription> list() {
        return topic.values().stream()
                .sorted(Comparator.comparing(Subscription::id))
                .toList();
    }

    /**
     * The subscription as this caller may see it: another app's is not found, with the very answer of one that does
     * not exist, so that an app cannot learn other apps' subscriptions by their ids.
     */
    public Subscription visible(String id, Caller caller) {
        Subscription s = get(id);
        if (!caller.mayActFor(s.app())) {
            throw new NotFoundException("subscription " + id + " does not exist");
        }
        return s;
    }

    Subscription get(String id) {
        return topic.get(id).orElseThrow(() -> new NotFoundException("subscription " + id + " does not exist"));
    }

    /**
     * Checks the request, creates the target topic (or takes again a kept topic of the same app), records who owns it,
     * then records the subscription.
     */
    public synchronized Subscription create(SubscriptionRequest r) {
        Subscription s = checkNew(r).subscription();
        Optional<TopicOwner> owner = owners.get(s.topic());
        boolean created = createTopic(s);
        if (!created && owner.isEmpty()) {
            throw new ConflictException("topic " + s.topic()
                    + " exists already and is not a topic this platform created for a subscription of app " + s.app()
                    + "; choose another topic");
        }
        if (!created) {
            // A kept topic taken again keeps copies as the new subscription asks.
            setRetention(s);
        }
        owners.write(s.topic(), new TopicOwner(s.topic(), s.app(), s.id(), s.createdAt()));
        topic.write(s.id(), s);
        if (kafka.enabled()) {
            grantAfterRecord(s);
        }
        return s;
    }

    /**
     * Grants the app read access to the topic once the registry records the subscription, so Kafka never grants
     * more than the registry says. When the grant fails and Kafka is left granting none of it, the record is taken
     * back: the 503 means nothing changed. When that is not known, the record stays (the registry may say more than
     * Kafka grants, never less), and a retry of the delete or of the create mends it.
     */
    private void grantAfterRecord(Subscription s) {
        try {
            kafka.grant(s.app(), s.topic(), !otherSubscriptions(s).isEmpty());
        } catch (AppKafkaAccess.GrantFailedException e) {
            if (e.clean()) {
                topic.write(s.id(), null);
            } else {
                log.error(
                        "Subscription {} is recorded, but its app {} was granted only part of its access to topic {}"
                                + " and it could not be taken back: delete the subscription again",
                        s.id(),
                        s.app(),
                        s.topic());
            }
            throw e;
        }
    }

    /** The app's other subscriptions, which keep its consumer groups' ACL. */
    private List<String> otherSubscriptions(Subscription s) {
        return topic.values().stream()
                .filter(o -> o.app().equals(s.app()) && !o.id().equals(s.id()))
                .map(Subscription::id)
                .sorted()
                .toList();
    }

    /**
     * Deletes an app that no subscription names any longer; under this service's lock, so that no subscription of it
     * is created meanwhile.
     */
    public synchronized void deleteApp(String appId) {
        List<String> left = topic.values().stream()
                .filter(o -> o.app().equals(appId))
                .map(Subscription::id)
                .sorted()
                .toList();
        if (!left.isEmpty()) {
            throw new ConflictException(
                    "app " + appId + " still has subscriptions " + String.join(", ", left) + "; delete them first");
        }
        // Its kept topics hold copies made under its grants: an app registered later under the same id must not take
        // them again. Retired before the app goes, so that a failure in between keeps them from the app, not open.
        for (TopicOwner kept : owners.values()) {
            if (kept.app().equals(appId)) {
                owners.write(
                        kept.topic(),
                        new TopicOwner(kept.topic(), TopicOwner.retired(appId), kept.subscription(), kept.since()));
            }
        }
        apps.delete(appId);
    }

    /**
     * Checks a new subscription as {@link #create} does, its conflicts with the recorded ones included (the same 422s
     * and 409s, in the same order), and creates nothing: what a request for a subscription is checked with before it
     * waits for an admin's approval.
     */
    public synchronized Draft checkNew(SubscriptionRequest r) {
        Draft draft = check(r, r.id());
        Subscription s = draft.subscription();
        if (topic.get(s.id()).isPresent()) {
            throw new ConflictException("subscription " + s.id() + " already exists");
        }
        Optional<Subscription> sameTopic =
                topic.values().stream().filter(o -> o.topic().equals(s.topic())).findFirst();
        if (sameTopic.isPresent()) {
            throw new ConflictException("topic " + s.topic() + " already belongs to subscription "
                    + sameTopic.get().id());
        }
        Optional<TopicOwner> owner = owners.get(s.topic());
        if (owner.isPresent() && !owner.get().app().equals(s.app())) {
            throw new ConflictException(
                    "topic " + s.topic() + " is kept for app " + owner.get().app() + " (subscription "
                            + owner.get().subscription() + " was deleted without it); choose another topic");
        }
        return draft;
    }

    /** A subscription as a request describes it, checked, and its app. */
    public record Draft(Subscription subscription, App app) {}

    /**
     * Checks a draft exactly as {@link #create} checks a subscription (the same 422s: the model's rules, the app
     * registered, no filter on a field its app may not read) and creates nothing: no topic, no record. An id or topic
     * that exists already is not a conflict here; a draft without an id is checked as {@value #DRAFT_ID}.
     */
    public Draft draft(SubscriptionRequest r) {
        return check(r, r.id() == null ? DRAFT_ID : r.id());
    }

    /** What {@link #create} and {@link #draft} both check, in the same order, so that they refuse alike. */
    private Draft check(SubscriptionRequest r, String id) {
        Subscription s = new Subscription(
                id,
                r.app(),
                r.eventTypes(),
                r.tags(),
                r.synthetic(),
                r.filter(),
                r.include(),
                r.topic() == null || r.topic().isBlank() ? Subscription.defaultTopic(id == null ? "" : id) : r.topic(),
                r.partitions() == null ? properties.subscriptions().defaultPartitions() : r.partitions(),
                r.retentionMs(),
                clock.instant());
        App app = apps.find(s.app())
                .orElseThrow(() -> new ValidationException("/app", "app " + s.app() + " is not registered"));
        refuseFiltersOnHiddenFields(s, app);
        return new Draft(s, app);
    }

    /**
     * Refuses a filter on a field the app would see redacted in some event the subscription may get: a field that a
     * registered type its patterns match declares sensitive, in any version, and that the app's grants do not clear.
     * Such a filter would tell the app, by which events reach it, what the field holds. (The router reads every
     * filter on the body as its app gets it anyway, so a grant revoked or a field made sensitive later cannot turn a
     * filter into that oracle; this refusal says so at once, instead of a filter that silently reads masks.)
     */
    private void refuseFiltersOnHiddenFields(Subscription s, App app) {
        ContentFilter filter = ContentFilter.parse(s.filter());
        if (filter.isEmpty()) {
            return;
        }
        List<TypePattern> patterns = s.typePatterns();
        List<EventType> types = eventTypes.list().stream()
                .filter(t -> patterns.stream().anyMatch(p -> p.matches(t.name())))
                .toList();
        List<ReadGrant> grants = app.readGrants();
        Violations v = new Violations();
        for (String field : filter.fields()) {
            for (EventType type : types) {
                SensitiveField hidden = RedactionPlan.compile(type, 1, grants).hiding(field);
                if (hidden != null) {
                    v.add(
                            "/filter/" + JsonPointers.escape(field),
                            "filter field " + field + " reads " + hidden.path() + ", a " + hidden.classification()
                                    + " field of event type " + type.name() + " that app " + app.id()
                                    + " is not cleared for; a filter may only read what its app may see");
                    break;
                }
            }
        }
        v.throwIfAny();
    }

    /**
     * Changes what may change on a subscription: its topic's retention, set on the topic before it is recorded, so
     * that the registry never shows a retention the topic does not have once the answer is given.
     */
    synchronized Subscription change(String id, SubscriptionRequest.Change change) {
        Subscription current = get(id);
        if (change.retentionMs() == null) {
            throw new ValidationException("/retentionMs", "retentionMs is required: the only member that may change");
        }
        Subscription changed = current.withRetentionMs(change.retentionMs());
        setRetention(changed);
        topic.write(id, changed);
        return changed;
    }

    /** Sets the subscription topic's {@code retention.ms} to the subscription's. */
    private void setRetention(Subscription s) {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, s.topic());
        AlterConfigOp set = new AlterConfigOp(
                new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, Long.toString(s.retentionMs())),
                AlterConfigOp.OpType.SET);
        Duration timeout = properties.registry().writeTimeout();
        try {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(set)))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Topic {} of subscription {} keeps copies for {} ms", s.topic(), s.id(), s.retentionMs());
        } catch (ExecutionException e) {
            throw new RegistryUnavailableException("could not set the retention of topic " + s.topic() + ": "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new RegistryUnavailableException(
                    "Kafka did not set the retention of topic " + s.topic() + " within " + timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryUnavailableException("interrupted while setting the retention of topic " + s.topic());
        }
    }

    /** Creates the subscription's topic with its retention; false when it exists already. */
    private boolean createTopic(Subscription s) {
        NewTopic t = properties
                .subscriptionTopics()
                .newTopic(
                        s.topic(),
                        Optional.of(s.partitions()),
                        Map.of(TopicConfig.RETENTION_MS_CONFIG, Long.toString(s.retentionMs())));
        Duration timeout = properties.registry().writeTimeout();
        try {
            admin.createTopics(List.of(t)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created topic {} for subscription {}", s.topic(), s.id());
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            if (e.getCause() instanceof InvalidTopicException) {
                // Kafka refuses a name that differs from an existing topic's only by '.' against '_'.
                throw new ConflictException("topic " + s.topic() + " collides with an existing topic: "
                        + e.getCause().getMessage());
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
        if (owners.get(s.topic()).filter(o -> o.app().equals(s.app())).isEmpty()) {
            // A subscription made before topic owners were recorded: its kept topic stays its app's all the same.
            owners.write(s.topic(), new TopicOwner(s.topic(), s.app(), s.id(), s.createdAt()));
        }
        if (kafka.enabled()) {
            // Before the record goes: a failure leaves the subscription recorded with its access, never the other way.
            kafka.revoke(s.app(), s.topic(), otherSubscriptions(s).isEmpty());
        }
        topic.write(id, null);
        if (deleteTopic) {
            try {
                admin.deleteTopics(List.of(s.topic()))
                        .all()
                        .get(properties.registry().writeTimeout().toMillis(), TimeUnit.MILLISECONDS);
                owners.write(s.topic(), null);
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
        owners.close();
        topic.close();
    }
}
