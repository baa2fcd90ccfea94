package com.northwind.eventing.common.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/** JSON text read as tokens, with no tree: for checking and rewriting bodies without building them. */
public final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {}

    /** A parser over the text, at no token yet; its locations are char offsets into the text. */
    public static JsonParser parser(String text) {
        return FACTORY.createParser(ObjectReadContext.empty(), text);
    }

    /**
     * Checks that the text is exactly one JSON value, as a tree parse would accept it.
     *
     * @throws StreamReadException when it is empty, malformed, or has anything but whitespace after the value
     */
    public static void requireOneValue(String text) {
        try (JsonParser p = parser(text)) {
            requireStart(p);
            p.skipChildren();
            requireEnd(p);
        }
    }

    /**
     * Moves the parser to its root value's first token.
     *
     * @throws StreamReadException when the text holds no value
     */
    public static void requireStart(JsonParser p) {
        if (p.nextToken() == null) {
            throw new StreamReadException(p, "no JSON value");
        }
    }

    /**
     * Checks that the parser, after its root value, is at the end of its text.
     *
     * @throws StreamReadException when another token follows
     */
    public static void requireEnd(JsonParser p) {
        JsonToken next = p.nextToken();
        if (next != null) {
            throw new StreamReadException(p, "more than one JSON value: " + next + " after the first");
        }
    }
}
