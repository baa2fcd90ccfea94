package com.northwind.eventing.intake.rest;

import com.northwind.eventing.common.model.JsonPointers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/** Says what is wrong with a JSON request without echoing its content: a body may hold PHI. */
final class JsonErrors {
    private JsonErrors() {}

    static String describe(Throwable cause) {
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
            // Jackson quotes the offending characters after the first line or in parentheses; keep only the kind.
            String kind = message.split("\n", 2)[0]
                    .replaceAll("\\(.*", "")
                    .replaceAll("'.*", "")
                    .trim();
            return "the body is not valid JSON" + (kind.isEmpty() ? "" : ": " + kind) + at(j);
        }
        return "the request body is missing or unreadable";
    }

    private static String at(JacksonException e) {
        String path = e.getPath().stream()
                .map(r -> r.getPropertyName() != null
                        ? "/" + JsonPointers.escape(r.getPropertyName())
                        : "/" + r.getIndex())
                .reduce("", String::concat);
        return path.isEmpty() ? "" : " at " + path;
    }

    private static String article(String type) {
        return switch (type) {
            case "String" -> "a string";
            case "Integer", "int", "Long", "long" -> "an integer";
            case "Boolean", "boolean" -> "true or false";
            case "List", "ArrayList" -> "an array";
            default -> "an object";
        };
    }
}
