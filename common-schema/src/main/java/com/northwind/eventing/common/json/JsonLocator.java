package com.northwind.eventing.common.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Which member of a JSON document holds a given offset of its text, as a JSON Pointer: for naming the member a
 * problem found in the raw text is in. It reads the document again, so it is for answers to requests already refused,
 * not for the requests that pass.
 */
public final class JsonLocator {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLocator() {}

    /**
     * The pointer of the member or element whose name or value holds the byte at {@code offset} of a UTF-8 document;
     * "" for the document itself or when the text before it does not parse that far.
     */
    public static String pointerAt(byte[] utf8, long offset) {
        return pointerAt(FACTORY.createParser(ObjectReadContext.empty(), utf8), offset, true);
    }

    /** The same for the character at {@code offset} of a document given as text. */
    public static String pointerAt(String text, long offset) {
        return pointerAt(FACTORY.createParser(ObjectReadContext.empty(), text), offset, false);
    }

    /** The pointer of the value or name the parser is at. */
    public static String pointerOf(JsonParser p) {
        TokenStreamContext context = p.streamReadContext();
        if (p.currentToken() != null && p.currentToken().isStructStart() && context.getParent() != null) {
            // The context of an object or array just started is its own, with no member yet: the holder's names it.
            context = context.getParent();
        }
        return context.pathAsPointer().toString();
    }

    private static String pointerAt(JsonParser parser, long offset, boolean bytes) {
        String pointer = "";
        try (JsonParser p = parser) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                long start = bytes
                        ? p.currentTokenLocation().getByteOffset()
                        : p.currentTokenLocation().getCharOffset();
                if (start > offset) {
                    break;
                }
                pointer = pointerOf(p);
                if (t == JsonToken.VALUE_STRING || t == JsonToken.PROPERTY_NAME) {
                    // Decoded now, so that a failure inside it is met here, with the pointer still its own.
                    p.getString();
                }
            }
        } catch (JacksonException e) {
            // The text does not parse beyond the last token read: that token is the nearest place there is.
        }
        return pointer;
    }
}
