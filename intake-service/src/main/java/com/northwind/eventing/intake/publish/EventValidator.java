package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.jsonschema.JsonSchemas;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeName;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Checks an event against the platform's rules and its type's JSON Schema, reporting every violation at once. What
 * goes into the envelope and the record headers must fit there: a timestamp the envelope's {@code timestamp-millis}
 * holds (RFC 3339's years 0001 to 9999), and strings without control characters.
 */
final class EventValidator {
    static final int MAX_TAGS = 32;
    static final int MAX_TAG_LENGTH = 128;
    static final int MAX_FIELD_LENGTH = 256;
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final EventTypeCatalog catalog;
    private final Duration maxValidationTime;

    /** @param maxValidationTime how long checking one body against its JSON Schema may take */
    EventValidator(EventTypeCatalog catalog, Duration maxValidationTime) {
        this.catalog = catalog;
        this.maxValidationTime = maxValidationTime;
    }

    /** An event that passed every check, with what the envelope needs; the body as JSON text. */
    record Valid(EventTypeName name, EventType type, Instant occurredAt, String bodyJson) {}

    Valid validate(PublishRequest r, Instant receivedAt) {
        return validate(r, null, receivedAt);
    }

    /** @param parsed the event's type name when the caller already parsed it, else null */
    Valid validate(PublishRequest r, EventTypeName parsed, Instant receivedAt) {
        Violations v = new Violations();
        EventTypeName name = parsed;
        if (name == null) {
            try {
                name = new EventTypeName(r.noun(), r.verb(), r.object());
            } catch (ValidationException e) {
                v.addAll("", e.violations());
            }
        }
        if (r.subObject() != null && !EventTypeName.isPart(r.subObject())) {
            v.add(
                    "/subObject",
                    "subObject must start with an upper-case letter and contain only letters, digits and hyphens");
        }
        checkText(v, "/key", r.key());
        Instant occurredAt = receivedAt;
        PublishRequest.Metadata m = r.metadata();
        if (m == null) {
            v.add("/metadata", "metadata is required, with at least transactionId");
        } else {
            if (m.transactionId() == null || m.transactionId().isBlank()) {
                v.add("/metadata/transactionId", "transactionId is required");
            }
            checkText(v, "/metadata/transactionId", m.transactionId());
            checkText(v, "/metadata/userId", m.userId());
            checkText(v, "/metadata/transactionType", m.transactionType());
            checkText(v, "/metadata/sourceSystem", m.sourceSystem());
            if (m.timestamp() != null) {
                try {
                    occurredAt = Timestamps.parse(m.timestamp());
                    if (occurredAt.isBefore(EARLIEST) || occurredAt.isAfter(LATEST)) {
                        occurredAt = receivedAt;
                        v.add(
                                "/metadata/timestamp",
                                "timestamp must be between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z");
                    }
                } catch (DateTimeParseException e) {
                    v.add(
                            "/metadata/timestamp",
                            "timestamp must be ISO-8601 with an offset, such as 2026-11-22T10:15:30Z");
                }
            }
        }
        List<String> tags = r.tags() == null ? List.of() : r.tags();
        if (tags.size() > MAX_TAGS) {
            v.add("/tags", "at most " + MAX_TAGS + " tags");
        }
        for (int i = 0; i < tags.size(); i++) {
            String t = tags.get(i);
            if (t == null || t.isEmpty()) {
                v.add("/tags/" + i, "a tag must not be empty");
            } else if (t.length() > MAX_TAG_LENGTH) {
                v.add("/tags/" + i, "a tag is at most " + MAX_TAG_LENGTH + " characters");
            } else if (hasControl(t)) {
                v.add("/tags/" + i, CONTROL);
            }
        }
        JsonNode body = r.body() == null ? null : r.body().tree();
        boolean hasBody = body != null && !body.isNull() && !body.isMissingNode();
        if (!hasBody) {
            v.add("/body", "body is required");
        }
        EventType type = null;
        String typeName = name == null ? null : name.toString();
        if (name != null) {
            type = catalog.find(typeName).orElse(null);
            if (type == null && v.isEmpty()) {
                throw new PublishException(
                        PublishException.Kind.UNKNOWN_EVENT_TYPE, "event type " + name + " is not registered");
            }
        }
        String bodyJson = null;
        if (type != null && hasBody) {
            bodyJson = r.body().json();
            v.addAll(
                    "/body",
                    JsonSchemas.check(catalog.schema(typeName, type), body, maxValidationTime)
                            .list());
        }
        if (!v.isEmpty()) {
            throw PublishException.invalid(v.list());
        }
        return new Valid(name, type, occurredAt, bodyJson);
    }

    static final String CONTROL = "must not hold control characters (U+0000 to U+001F, U+007F to U+009F)";

    private static void checkText(Violations v, String pointer, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_FIELD_LENGTH) {
            v.add(pointer, "at most " + MAX_FIELD_LENGTH + " characters");
        } else if (hasControl(value)) {
            v.add(pointer, CONTROL);
        }
    }

    /**
     * Whether the text holds a C0 control, DEL or a C1 control: they go into record headers, logs and stores, where a
     * NUL or an escape sequence is trouble, and no name, id or tag needs one.
     */
    static boolean hasControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x7F && c <= 0x9F) {
                return true;
            }
        }
        return false;
    }
}
