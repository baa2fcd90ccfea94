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
        String noun = null;
        String verb = null;
        String object = null;
        String subObject = null;
        String key = null;
        PublishRequest.Metadata metadata = null;
        List<String> tags = null;
        Boolean synthetic = null;
        Body body = null;
        String unknown = null;
        for (String name = firstName(p, ctxt, PublishRequest.class); name != null; name = p.nextName()) {
            p.nextToken();
            boolean known = true;
            try {
                switch (name) {
                    case "noun" -> noun = string(p);
                    case "verb" -> verb = string(p);
                    case "object" -> object = string(p);
                    case "subObject" -> subObject = string(p);
                    case "key" -> key = string(p);
                    case "metadata" -> metadata = metadata(p, ctxt);
                    case "tags" -> tags = tags(p);
                    case "synthetic" -> synthetic = bool(p);
                    case "body" -> body = body(p, ctxt);
                    default -> known = false;
                }
            } catch (JacksonException e) {
                throw e.prependPath(PublishRequest.class, name);
            }
            if (!known) {
                unknown = unknown == null ? name : unknown;
                p.skipChildren();
            }
        }
        refuseUnknown(p, ctxt, PublishRequest.class, unknown, REQUEST_MEMBERS);
        return new PublishRequest(noun, verb, object, subObject, key, metadata, tags, synthetic, body);
    }

    private static PublishRequest.Metadata metadata(JsonParser p, DeserializationContext ctxt) {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        String transactionId = null;
        String userId = null;
        String timestamp = null;
        String transactionType = null;
        String sourceSystem = null;
        String unknown = null;
        for (String name = firstName(p, ctxt, PublishRequest.Metadata.class); name != null; name = p.nextName()) {
            p.nextToken();
            boolean known = true;
            try {
                switch (name) {
                    case "transactionId" -> transactionId = string(p);
                    case "userId" -> userId = string(p);
                    case "timestamp" -> timestamp = string(p);
                    case "transactionType" -> transactionType = string(p);
                    case "sourceSystem" -> sourceSystem = string(p);
                    default -> known = false;
                }
            } catch (JacksonException e) {
                throw e.prependPath(PublishRequest.Metadata.class, name);
            }
            if (!known) {
                unknown = unknown == null ? name : unknown;
                p.skipChildren();
            }
        }
        refuseUnknown(p, ctxt, PublishRequest.Metadata.class, unknown, METADATA_MEMBERS);
        return new PublishRequest.Metadata(transactionId, userId, timestamp, transactionType, sourceSystem);
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

    /**
     * Refuses the first unknown member once the object is read, as Jackson does for a record under
     * FAIL_ON_UNKNOWN_PROPERTIES: a member of the wrong type is reported before an unknown one, wherever each is.
     */
    private static void refuseUnknown(
            JsonParser p, DeserializationContext ctxt, Class<?> type, String unknown, List<Object> known) {
        if (unknown != null && ctxt.isEnabled(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)) {
            throw UnrecognizedPropertyException.from(p, type, unknown, known);
        }
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
