package com.northwind.eventing.common.json;

import com.northwind.eventing.common.model.JsonPointers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Says what is wrong with a JSON request without echoing its content: a body may hold PHI. */
public final class JsonErrors {
    private JsonErrors() {}

    /** What is wrong with a request's JSON, given the parse failure (or its cause), in words a user can act on. */
    public static String describe(Throwable cause) {
        if (cause instanceof UnrecognizedPropertyException u) {
            return "unknown member '" + u.getPropertyName() + "'" + at(u) + "; known members are "
                    + u.getKnownPropertyIds();
        }
        if (cause instanceof MismatchedInputException m) {
            String type =
                    m.getTargetType() == null ? "value" : m.getTargetType().getSimpleName();
            return "wrong type" + at(m) + ": expected " + article(type);
        }
        if (cause instanceof JacksonException j) {
            String message = j.getOriginalMessage() == null ? "" : j.getOriginalMessage();
            // Jackson quotes the offending characters or names after the kind of error; keep only the kind.
            String kind = message.split("\n", 2)[0]
                    .replaceAll("[(\"'].*", "")
                    .replaceAll("[:;,\\s]+$", "")
                    .trim();
            return "the body is not valid JSON" + (kind.isEmpty() ? "" : ": " + kind) + at(j);
        }
        return "the request body is missing or unreadable";
    }

    private static String at(JacksonException e) {
        String path = pointer(e);
        return path.isEmpty() ? "" : " at " + path;
    }

    /** Where in the request document Jackson was when it failed, as a JSON Pointer. */
    public static String pointer(JacksonException e) {
        return e.getPath().stream()
                .map(r -> r.getPropertyName() != null
                        ? "/" + JsonPointers.escape(r.getPropertyName())
                        : "/" + r.getIndex())
                .reduce("", String::concat);
    }

    private static String article(String type) {
        return switch (type) {
            case "String" -> "a string";
            case "Integer", "int", "Long", "long", "Short", "short" -> "an integer";
            case "Boolean", "boolean" -> "true or false";
            case "List", "ArrayList" -> "an array";
            default -> "an object";
        };
    }
}
