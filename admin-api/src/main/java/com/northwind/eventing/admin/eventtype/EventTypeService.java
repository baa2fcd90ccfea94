package com.northwind.eventing.admin.eventtype;

import com.northwind.eventing.admin.kafka.FirehoseRetention;
import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.common.jsonschema.JsonSchemas;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violations;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.everit.json.schema.Schema;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/** Event types, kept on {@code eventing.registry.event-types}. */
@Service
public class EventTypeService implements DisposableBean {
    static final int DEFAULT_RETENTION_DAYS = 90;
    static final int MAX_RETENTION_DAYS = 3650;

    private final CompactedTopic<EventType> topic;
    private final FirehoseRetention firehose;
    private final Clock clock;

    EventTypeService(RegistryTopicFactory topics, FirehoseRetention firehose, Clock clock) {
        this.clock = clock;
        this.firehose = firehose;
        this.topic = topics.open(RegistryTopics.EVENT_TYPES, EventType.class);
        firehose.follow(topic::values);
    }

    public List<EventType> list() {
        return topic.values().stream()
                .sorted(Comparator.comparing(t -> t.name().toString()))
                .toList();
    }

    EventType get(String eventType) {
        return find(eventType)
                .orElseThrow(() -> new NotFoundException("event type " + eventType + " is not registered"));
    }

    Optional<EventType> find(String eventType) {
        return topic.get(eventType);
    }

    synchronized EventType create(EventTypeRequest request) {
        Checked c = check(request);
        String key = c.name().toString();
        if (topic.get(key).isPresent()) {
            throw new ConflictException("event type " + key + " is already registered; PUT /v1/event-types/" + key
                    + " registers a new version");
        }
        Instant now = clock.instant();
        EventType type = new EventType(
                c.name().noun(),
                c.name().verb(),
                c.name().object(),
                request.description(),
                request.owner(),
                c.retentionDays(),
                request.example(),
                List.of(new EventTypeVersion(1, request.schema(), c.sensitiveFields(), c.storePolicy(), now)),
                now,
                now);
        topic.write(key, type);
        firehose.update(topic.values());
        return type;
    }

    /**
     * Updates an event type. A changed schema, changed sensitive fields or a changed store policy make a new version
     * (a request without a store policy asks for the default, {@code REDACT}); description, owner, retention and
     * example change in place. A retention changed here applies to events stored after the change.
     */
    synchronized EventType update(String eventType, EventTypeRequest request) {
        EventType current = get(eventType);
        Checked c = check(request);
        if (!c.name().equals(current.name())) {
            throw new ValidationException(
                    "", "the body names " + c.name() + " but the path names " + eventType + "; they must agree");
        }
        Instant now = clock.instant();
        List<EventTypeVersion> versions = new ArrayList<>(current.versions());
        EventTypeVersion latest = current.latest();
        if (!Objects.equals(latest.schema(), request.schema())
                || !Set.copyOf(latest.sensitiveFields()).equals(Set.copyOf(c.sensitiveFields()))
                || latest.storePolicy() != c.storePolicy()) {
            versions.add(new EventTypeVersion(
                    latest.version() + 1, request.schema(), c.sensitiveFields(), c.storePolicy(), now));
        }
        EventType type = new EventType(
                current.noun(),
                current.verb(),
                current.object(),
                request.description(),
                request.owner(),
                c.retentionDays(),
                request.example(),
                versions,
                current.createdAt(),
                now);
        topic.write(eventType, type);
        firehose.update(topic.values());
        return type;
    }

    private record Checked(
            EventTypeName name, List<SensitiveField> sensitiveFields, int retentionDays, StorePolicy storePolicy) {}

    /** Checks everything about the request at once, so the admin hears of every problem in one answer. */
    private static Checked check(EventTypeRequest r) {
        Violations v = new Violations();
        EventTypeName name = null;
        try {
            name = new EventTypeName(r.noun(), r.verb(), r.object());
        } catch (ValidationException e) {
            v.addAll("", e.violations());
        }
        if (r.owner() == null || r.owner().isBlank()) {
            v.add("/owner", "owner is required: the team that owns this event type");
        }
        if (r.description() != null && r.description().length() > 2000) {
            v.add("/description", "description is at most 2000 characters");
        }
        Schema schema = null;
        if (r.schema() == null || r.schema().isNull()) {
            v.add("/schema", "schema is required: the JSON Schema of the event body");
        } else {
            try {
                schema = JsonSchemas.compile(r.schema());
            } catch (ValidationException e) {
                v.addAll("/schema", e.violations());
            }
        }
        List<SensitiveField> fields = new ArrayList<>();
        Set<String> paths = new HashSet<>();
        List<EventTypeRequest.SensitiveFieldRequest> requested =
                r.sensitiveFields() == null ? List.of() : r.sensitiveFields();
        for (int i = 0; i < requested.size(); i++) {
            EventTypeRequest.SensitiveFieldRequest f = requested.get(i);
            String at = "/sensitiveFields/" + i;
            if (f == null) {
                v.add(at, "a sensitive field is an object with path and classification");
                continue;
            }
            try {
                fields.add(new SensitiveField(f.path(), f.classification()));
                if (!paths.add(f.path())) {
                    v.add(at + "/path", "path " + f.path() + " is listed twice");
                }
            } catch (ValidationException e) {
                v.addAll(at, e.violations());
            }
        }
        int retention = r.retentionDays() == null ? DEFAULT_RETENTION_DAYS : r.retentionDays();
        if (retention < 1 || retention > MAX_RETENTION_DAYS) {
            v.add("/retentionDays", "retentionDays must be between 1 and " + MAX_RETENTION_DAYS);
        }
        StorePolicy storePolicy = StorePolicy.DEFAULT;
        if (r.storePolicy() != null) {
            try {
                storePolicy = StorePolicy.valueOf(r.storePolicy());
            } catch (IllegalArgumentException e) {
                v.add("/storePolicy", "storePolicy must be one of " + Arrays.toString(StorePolicy.values()));
            }
        }
        if (schema != null && r.example() != null && !r.example().isNull()) {
            v.addAll("/example", JsonSchemas.check(schema, r.example()).list());
        }
        v.throwIfAny();
        return new Checked(name, List.copyOf(fields), retention, storePolicy);
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
