package com.northwind.eventing.common.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One event type an aggregation reads, how it finds the correlation key in each event of that type, and which fields of
 * its body the output keeps.
 *
 * @param eventType an exact event type name ({@code Noun.Verb.Object}), not a pattern
 * @param key a JSON Pointer into the body ({@code /claimId}), or the name of a metadata field: one of {@link
 *     #METADATA_KEYS}
 * @param fields JSON Pointers of the body members the output keeps, at the same place; empty for the whole body
 */
public record AggregationInput(String eventType, String key, List<String> fields) {
    /** The envelope metadata fields a key may name instead of a body pointer. */
    public static final List<String> METADATA_KEYS =
            List.of("transactionId", "userId", "sourceSystem", "transactionType");

    public static final int MAX_FIELDS = 50;

    public AggregationInput {
        fields = Violations.copyOf(fields);
        Violations v = new Violations();
        v.check("/eventType", () -> EventTypeName.parse(eventType));
        checkKey(v, "/key", key);
        if (fields.size() > MAX_FIELDS) {
            v.add("/fields", "at most " + MAX_FIELDS + " fields");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            int at = i;
            v.check("/fields/" + i, () -> checkMemberPointer(f));
            if (f != null && !seen.add(f)) {
                v.add("/fields/" + at, "field '" + f + "' is listed twice");
            }
        }
        v.throwIfAny();
    }

    /** An input that keeps the whole body. */
    public AggregationInput(String eventType, String key) {
        this(eventType, key, List.of());
    }

    public boolean keyIsMetadata() {
        return !key.startsWith("/");
    }

    public EventTypeName typeName() {
        return EventTypeName.parse(eventType);
    }

    /** Checks a correlation key: a body pointer, or a metadata field's name. */
    static void checkKey(Violations v, String pointer, String key) {
        if (key == null || key.isEmpty()) {
            v.add(
                    pointer,
                    "a key is required: a JSON Pointer into the body such as /claimId, or one of " + METADATA_KEYS);
        } else if (key.startsWith("/")) {
            v.check(pointer, () -> checkMemberPointer(key));
        } else if (!METADATA_KEYS.contains(key)) {
            v.add(pointer, "key '" + key + "' is neither a JSON Pointer (starting with /) nor one of " + METADATA_KEYS);
        }
    }

    /** A pointer to an object member: no array wildcard, since a key or a kept field is one value. */
    static void checkMemberPointer(String pointer) {
        List<String> tokens = JsonPointers.parse(pointer);
        if (tokens.contains(JsonPointers.ANY_ELEMENT)) {
            throw new ValidationException("", "'" + pointer + "' must name one value: no * segment");
        }
    }
}
