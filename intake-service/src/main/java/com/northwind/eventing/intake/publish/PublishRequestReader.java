package com.northwind.eventing.intake.publish;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Reads a {@link PublishRequest} straight off the token stream, by the {@link RequestJson} rules: every member of a
 * known name (unknown ones as {@code FAIL_ON_UNKNOWN_PROPERTIES} says) and type, strings only from strings,
 * {@code synthetic} only from true or false, {@code null} as absent.
 * It fails as Jackson's record reading does, with the same exceptions, so that errors read the same; a property test
 * holds the two to the same answers. Hand-written because it is the intake's hot path: Jackson builds a record through
 * {@code MethodHandle.invokeWithArguments}, which makes a new spreader on every call, and looks up and buffers every
 * property on the way, and that was a third of the time to read an event.
 *
 * <p>Duplicate members are the parser's to refuse ({@code STRICT_DUPLICATE_DETECTION}), at any depth, bodies
 * included.
 */
final class PublishRequestReader extends ValueDeserializer<PublishRequest> {
    private static final List<Object> REQUEST_MEMBERS =
            List.of("noun", "verb", "object", "subObject", "key", "metadata", "tags", "synthetic", "body");
    private static final List<Object> METADATA_MEMBERS =
            List.of("transactionId", "userId", "timestamp", "transactionType", "sourceSystem");

    /** The reader of bodies' trees, found once rather than looked up for every body. */
    private ValueDeserializer<Object> trees;

    @Override
    public void resolve(DeserializationContext ctxt) {
        trees = ctxt.findRootValueDeserializer(ctxt.constructType(JsonNode.class));
    }

    @Override
    public PublishRequest deserialize(JsonParser p, DeserializationContext ctxt) {
        var r = new Object() {
            String noun;
            String verb;
            String object;
            String subObject;
            String key;
            PublishRequest.Metadata metadata;
            List<String> tags;
            Boolean synthetic;
            Body body;
        };
        members(p, ctxt, PublishRequest.class, REQUEST_MEMBERS, name -> {
            switch (name) {
                case "noun" -> r.noun = string(p);
                case "verb" -> r.verb = string(p);
                case "object" -> r.object = string(p);
                case "subObject" -> r.subObject = string(p);
                case "key" -> r.key = string(p);
                case "metadata" -> r.metadata = metadata(p, ctxt);
                case "tags" -> r.tags = tags(p);
                case "synthetic" -> r.synthetic = bool(p);
                case "body" -> r.body = body(p, ctxt);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new PublishRequest(
                r.noun, r.verb, r.object, r.subObject, r.key, r.metadata, r.tags, r.synthetic, r.body);
    }

    private static PublishRequest.Metadata metadata(JsonParser p, DeserializationContext ctxt) {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        var m = new Object() {
            String transactionId;
            String userId;
            String timestamp;
            String transactionType;
            String sourceSystem;
        };
        members(p, ctxt, PublishRequest.Metadata.class, METADATA_MEMBERS, name -> {
            switch (name) {
                case "transactionId" -> m.transactionId = string(p);
                case "userId" -> m.userId = string(p);
                case "timestamp" -> m.timestamp = string(p);
                case "transactionType" -> m.transactionType = string(p);
                case "sourceSystem" -> m.sourceSystem = string(p);
                default -> {
                    return false;
                }
            }
            return true;
        });
        return new PublishRequest.Metadata(m.transactionId, m.userId, m.timestamp, m.transactionType, m.sourceSystem);
    }

    /** Reads the value of one member the parser is at, by its name. */
    private interface Member {
        /** @return false when the object has no member of that name; its value is then left unread */
        boolean read(String name);
    }

    /**
     * Reads the members of the object the parser is at, each value through {@code member}, as Jackson reads a record:
     * an error in a value names its place (the member's name is put in front of the path); an unknown member is
     * skipped, and the first one is refused once the object is read, so that a member of the wrong type is reported
     * before an unknown one, wherever each is (under FAIL_ON_UNKNOWN_PROPERTIES; without it unknown ones are ignored).
     */
    private static void members(
            JsonParser p, DeserializationContext ctxt, Class<?> type, List<Object> known, Member member) {
        String unknown = null;
        for (String name = firstName(p, ctxt, type); name != null; name = p.nextName()) {
            p.nextToken();
            boolean read;
            try {
                read = member.read(name);
            } catch (JacksonException e) {
                throw e.prependPath(type, name);
            }
            if (!read) {
                unknown = unknown == null ? name : unknown;
                p.skipChildren();
            }
        }
        if (unknown != null && ctxt.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)) {
            throw UnrecognizedPropertyException.from(p, type, unknown, known);
        }
    }

    /** The first member's name of the object the parser is at, or null when it is empty; a mismatch if no object. */
    private static String firstName(JsonParser p, DeserializationContext ctxt, Class<?> type) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return p.nextName();
        }
        if (t == JsonToken.PROPERTY_NAME) {
            return p.currentName();
        }
        if (t == JsonToken.END_OBJECT) {
            return null;
        }
        return (String) ctxt.handleUnexpectedToken(type, p);
    }

    private static String string(JsonParser p) {
        return switch (p.currentToken()) {
            case VALUE_STRING -> p.getString();
            case VALUE_NULL -> null;
            default -> throw mismatch(p, String.class);
        };
    }

    private static Boolean bool(JsonParser p) {
        return switch (p.currentToken()) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw mismatch(p, Boolean.class);
        };
    }

    private static List<String> tags(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.START_ARRAY) {
            throw mismatch(p, List.class);
        }
        List<String> tags = new ArrayList<>();
        for (t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            try {
                tags.add(string(p));
            } catch (JacksonException e) {
                throw e.prependPath(tags, tags.size());
            }
        }
        return tags;
    }

    private Body body(JsonParser p, DeserializationContext ctxt) {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : Body.read(p, ctxt, trees);
    }

    private static MismatchedInputException mismatch(JsonParser p, Class<?> type) {
        return MismatchedInputException.from(
                p, type, "Cannot read " + type.getSimpleName() + " from " + p.currentToken() + " token");
    }
}
