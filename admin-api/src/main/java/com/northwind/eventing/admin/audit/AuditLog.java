package com.northwind.eventing.admin.audit;

import com.northwind.eventing.admin.config.AdminProperties;
import com.northwind.eventing.admin.config.KafkaClients;
import com.northwind.eventing.admin.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit log: one entry per change made through admin-api, appended to {@code eventing.audit} (never compacted)
 * before the change is answered (docs/audit.md). An entry names who (the request's {@link Caller}), what (action,
 * resource type and id, the state before and after as the API shows it, secrets removed), when (the injected clock),
 * from where (the remote address and the User-Agent) and the request's id.
 *
 * <p>{@link #record} returns only once Kafka acknowledged the entry (idempotent producer, acks=all); when it cannot,
 * it logs the change at ERROR (action, resource, id, actor; never a value) and throws {@link
 * AuditUnavailableException}, which answers 503: the caller is never told an unrecorded change succeeded.
 */
@Component
@EnableConfigurationProperties(AuditProperties.class)
public class AuditLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

    /** The actor of a registry write that needed no credential ({@code eventing.schema-registry.open-writes}). */
    static final String ANONYMOUS = "anonymous";

    static final int MAX_USER_AGENT = 256;
    static final String REQUEST_ID_HEADER = "X-Request-Id";
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final AuditProperties properties;
    private final Clock clock;
    private final JsonMapper json;
    private final Duration writeTimeout;
    private final KafkaProducer<String, byte[]> producer;

    AuditLog(
            AuditProperties properties,
            AdminProperties admin,
            KafkaClients clients,
            Admin kafkaAdmin,
            Clock clock,
            JsonMapper json) {
        this.properties = properties;
        this.clock = clock;
        this.json = json;
        this.writeTimeout = admin.registry().writeTimeout();
        createTopic(kafkaAdmin, admin, properties);
        int timeout = Math.toIntExact(writeTimeout.toMillis());
        this.producer = new KafkaProducer<>(
                clients.config(Map.of(
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "eventing-admin-audit",
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG,
                        timeout,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        timeout,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        timeout)),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static void createTopic(Admin kafkaAdmin, AdminProperties admin, AuditProperties properties) {
        Map<String, String> configs = Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG,
                TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG,
                Long.toString(properties.retention().toMillis()));
        try {
            // One partition: one order of every change, and the store copy's position is one offset.
            kafkaAdmin
                    .createTopics(java.util.List.of(
                            admin.registryTopics().newTopic(properties.topic(), Optional.of(1), configs)))
                    .all()
                    .get(admin.registry().startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            log.info("Created the audit topic {} (retention {})", properties.topic(), properties.retention());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException(
                        "cannot create the audit topic " + properties.topic() + ": "
                                + e.getCause().getMessage(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create the audit topic " + properties.topic() + " in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the audit topic", e);
        }
    }

    /**
     * Records a change made by the current request (the one this thread serves), by the caller the route filter put
     * on it.
     *
     * @param action {@code create}, {@code update}, {@code delete}, {@code rotate}, {@code revoke}, {@code cancel}
     * @param resourceType such as {@code app} or {@code subscription}
     * @param resourceId the resource's id
     * @param before its state before, as the API shows it; null when it did not exist
     * @param after its state after, as the API shows it; null when it is gone
     * @throws AuditUnavailableException when the entry cannot be written
     */
    public void record(String action, String resourceType, String resourceId, Object before, Object after) {
        HttpServletRequest request =
                ((ServletRequestAttributes) RequestContextHolder.currentRequestAttributes()).getRequest();
        record(callerOf(request), action, resourceType, resourceId, before, after, request);
    }

    /**
     * Records a change: as {@link #record(String, String, String, Object, Object)}, with the caller and request given.
     *
     * @param caller who made it; null only for a write that needed no credential (the actor is then {@code
     *     anonymous})
     */
    public void record(
            Caller caller,
            String action,
            String resourceType,
            String resourceId,
            Object before,
            Object after,
            HttpServletRequest request) {
        String actor = caller == null ? ANONYMOUS : caller.name();
        String id = UUID.randomUUID().toString();
        ObjectNode entry = json.createObjectNode();
        entry.put("id", id);
        entry.put("at", clock.instant().toString());
        entry.put("actor", actor);
        entry.put("session", caller != null && caller.session());
        entry.put("action", action);
        entry.put("resourceType", resourceType);
        entry.put("resourceId", resourceId);
        entry.set("before", state(before));
        entry.set("after", state(after));
        entry.put("remoteAddress", request.getRemoteAddr());
        String agent = userAgent(request);
        if (agent != null) {
            entry.put("userAgent", agent);
        }
        entry.put("requestId", requestId(request));
        byte[] value = json.writeValueAsString(entry).getBytes(StandardCharsets.UTF_8);
        String key = resourceType + "/" + resourceId;
        try {
            producer.send(new ProducerRecord<>(properties.topic(), key, value))
                    .get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw unwritten(actor, action, resourceType, resourceId, id, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unwritten(actor, action, resourceType, resourceId, id, e);
        }
    }

    private AuditUnavailableException unwritten(
            String actor, String action, String resourceType, String resourceId, String id, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        // The change is named, so that an operator can record it by hand; its state is not (it may be sensitive).
        log.error(
                "AUDIT ENTRY NOT WRITTEN for a change that was made: {} {} {} by {} (entry {}): {}",
                action,
                resourceType,
                resourceId,
                actor,
                id,
                cause.getClass().getSimpleName() + ": " + cause.getMessage());
        return new AuditUnavailableException("the audit log could not record " + action + " of " + resourceType + " "
                + resourceId + "; try again later");
    }

    private JsonNode state(Object state) {
        if (state == null) {
            return json.nullNode();
        }
        return Secrets.scrub(json.valueToTree(state));
    }

    /** The caller the route filter put on the request, or null on a write that needed none. */
    private static Caller callerOf(HttpServletRequest request) {
        try {
            return Caller.of(request);
        } catch (IllegalStateException e) {
            return null;
        }
    }

    private static String userAgent(HttpServletRequest request) {
        String agent = request.getHeader("User-Agent");
        if (agent == null || agent.isBlank()) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(agent.length(), MAX_USER_AGENT));
        for (int i = 0; i < agent.length() && b.length() < MAX_USER_AGENT; i++) {
            char c = agent.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    /** The client's {@value #REQUEST_ID_HEADER} when it is a plain id, else one made here. */
    private static String requestId(HttpServletRequest request) {
        String given = request.getHeader(REQUEST_ID_HEADER);
        return given != null && REQUEST_ID.matcher(given).matches()
                ? given
                : UUID.randomUUID().toString();
    }

    String topic() {
        return properties.topic();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
