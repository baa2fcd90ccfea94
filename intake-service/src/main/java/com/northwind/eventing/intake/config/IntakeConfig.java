package com.northwind.eventing.intake.config;

import com.northwind.eventing.common.json.JsonLimits;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.kafka.JsonCodec;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.tracing.Tracing;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.auth.RateLimiter;
import com.northwind.eventing.intake.publish.EventTypeCatalog;
import com.northwind.eventing.intake.publish.KafkaFirehose;
import com.northwind.eventing.intake.publish.PublishMetrics;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.schema.Envelope;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the publish core: the registry views (apps, event types) that follow the compacted topics, the rate limiter,
 * the schema registry client and the Kafka firehose.
 */
@Configuration(proxyBeanMethods = false)
class IntakeConfig {
    private static final Logger log = LoggerFactory.getLogger(IntakeConfig.class);

    private final IntakeProperties properties;

    IntakeConfig(IntakeProperties properties) {
        this.properties = properties;
    }

    private Map<String, Object> clientConfig(String clientId) {
        Map<String, Object> config = new HashMap<>(properties.kafka().properties());
        config.put(
                CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, properties.kafka().bootstrapServers());
        config.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        return config;
    }

    @Bean(destroyMethod = "close")
    Admin intakeAdmin() {
        return Admin.create(clientConfig("eventing-intake-admin"));
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    AppDirectory appDirectory() {
        return new AppDirectory();
    }

    @Bean
    EventTypeCatalog eventTypeCatalog() {
        return new EventTypeCatalog();
    }

    @Bean(destroyMethod = "close")
    CompactedTopic<App> appsTopic(AppDirectory directory, Admin admin) {
        return follow(RegistryTopics.APPS, App.class, directory::apply, admin);
    }

    @Bean(destroyMethod = "close")
    CompactedTopic<EventType> eventTypesTopic(EventTypeCatalog catalog, Admin admin) {
        return follow(RegistryTopics.EVENT_TYPES, EventType.class, catalog::apply, admin);
    }

    private <V> CompactedTopic<V> follow(
            String topic, Class<V> type, java.util.function.BiConsumer<String, Optional<V>> listener, Admin admin) {
        CompactedTopic<V> t = new CompactedTopic<>(
                topic,
                new JsonCodec<>(RegistryTopics.JSON, type),
                clientConfig("eventing-intake"),
                properties.kafka().startTimeout(),
                properties.registry().maxStaleness(),
                listener);
        t.start(admin, properties.registryTopics(), properties.kafka().startTimeout());
        return t;
    }

    @Bean
    RateLimiter rateLimiter() {
        return new RateLimiter(properties.rateLimit(), System::nanoTime);
    }

    @Bean
    SchemaRegistryClient schemaRegistryClient() {
        return new RestSchemaRegistryClient(
                properties.schemaRegistry().url(), properties.schemaRegistry().authorization());
    }

    @Bean(destroyMethod = "close")
    KafkaFirehose firehose(Admin admin, SchemaRegistryClient registry) {
        createFirehoseTopic(admin);
        String subject = properties.firehose().topic() + "-value";
        try {
            int id = registry.register(subject, Envelope.getClassSchema());
            log.info("Envelope schema is id {} under {}", id, subject);
        } catch (SchemaRegistryException e) {
            if (e.status() == 401 || e.status() == 403) {
                // Not an outage: every publish would fail the same way, so the intake does not start.
                throw new IllegalStateException(
                        "the schema registry refused the intake's credential for " + subject + " (status "
                                + e.status() + "): set eventing.schema-registry.bearer-token"
                                + " (EVENTING_SCHEMA_REGISTRY_BEARER_TOKEN) or basic-auth-user-info to a credential"
                                + " that may write it",
                        e);
            }
            log.warn("Could not register the envelope schema under {} yet: {}", subject, e.getMessage());
        } catch (RuntimeException e) {
            // Not fatal: the serializer registers on first use; until then publishing answers 503.
            log.warn("Could not register the envelope schema under {} yet: {}", subject, e.getMessage());
        }
        return new KafkaFirehose(properties.firehose().topic(), clientConfig("eventing-intake"), registry);
    }

    private void createFirehoseTopic(Admin admin) {
        IntakeProperties.Firehose f = properties.firehose();
        NewTopic topic = properties.firehoseTopic().newTopic(f.topic(), Optional.of(f.partitions()), Map.of());
        try {
            admin.createTopics(List.of(topic))
                    .all()
                    .get(properties.kafka().startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created {} with {} partitions", f.topic(), f.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "could not create " + f.topic() + ": " + e.getCause().getMessage(), e);
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer in time when creating " + f.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating " + f.topic(), e);
        }
    }

    /**
     * Off unless OTEL_TRACES_EXPORTER (or otel.traces.exporter) names an exporter; closed after the publisher. One
     * given to the context (an embedding process's, a test's) is used instead.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Tracing.class)
    Tracing intakeTracing() {
        return Tracing.fromEnvironment("eventing-intake");
    }

    @Bean
    Publisher publisher(
            AppDirectory apps,
            RateLimiter rateLimiter,
            EventTypeCatalog types,
            KafkaFirehose firehose,
            Clock clock,
            MeterRegistry meters,
            Tracing tracing,
            // Depend on the followers so that the views are complete before the first request.
            CompactedTopic<App> appsTopic,
            CompactedTopic<EventType> eventTypesTopic) {
        IntakeProperties.Limits limits = properties.limits();
        return new Publisher(
                apps,
                rateLimiter,
                types,
                firehose,
                clock,
                new PublishMetrics(meters, name -> types.find(name).isPresent()),
                new Publisher.Limits(
                        new JsonLimits(limits.maxNumberScale(), limits.maxNestingDepth()), limits.maxValidationTime()),
                now -> appsTopic.isCurrent(now) && eventTypesTopic.isCurrent(now),
                tracing);
    }
}
