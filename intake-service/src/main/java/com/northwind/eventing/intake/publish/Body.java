package com.northwind.eventing.intake.publish;

import java.nio.charset.StandardCharsets;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ValueDeserializer;

/**
 * An event's body: its tree, which the JSON Schema check reads, and, when known, its JSON text exactly as the producer
 * sent it, which goes into the envelope. Taking the text as sent saves writing the tree back out (a microsecond an
 * event, a sixth of the REST thread's time); the text is the same document, since the strict reader accepted it whole.
 *
 * @param tree the body as read; never null
 * @param text the body's JSON text as sent, or null when only the tree is known
 */
public record Body(JsonNode tree, String text) {
    /**
     * The reader attribute under which the caller passes the document being read (its {@code byte[]} when it is
     * UTF-8, its {@code String} otherwise): with it a container body keeps its text. See {@link #reading}.
     */
    static final String SOURCE = Body.class.getName() + ".source";

    public Body {
        if (tree == null) {
            throw new IllegalArgumentException("a body has a tree; a missing body is a null Body");
        }
    }

    /** A body known only as a tree; its text is written from it. */
    public static Body of(JsonNode tree) {
        return new Body(tree, null);
    }

    /**
     * A body given as JSON text that {@code tree} was read from, whole (gRPC's {@code body} field). The text is kept
     * when it is an object or array with nothing around it but JSON whitespace, else written from the tree.
     */
    public static Body ofText(JsonNode tree, String json) {
        int start = 0;
        int end = json.length();
        while (start < end && isJsonWhitespace(json.charAt(start))) {
            start++;
        }
        while (end > start && isJsonWhitespace(json.charAt(end - 1))) {
            end--;
        }
        boolean container = tree.isContainer()
                && end - start >= 2
                && (json.charAt(start) == '{' && json.charAt(end - 1) == '}'
                        || json.charAt(start) == '[' && json.charAt(end - 1) == ']');
        return new Body(tree, container ? json.substring(start, end) : null);
    }

    /** A reader that gives the bodies it reads out of {@code source} their text; source is what it will read. */
    public static ObjectReader reading(ObjectReader reader, Object source) {
        return reader.withAttribute(SOURCE, source);
    }

    /** A reader that gives the bodies it reads out of the UTF-8 document their text, and keeps where it cut each. */
    static ObjectReader reading(ObjectReader reader, Cuts cuts) {
        return reader.withAttribute(SOURCE, cuts);
    }

    /**
     * A UTF-8 document being read, and the bodies cut out of it as text, in order: where each is and its text. Its
     * text was decoded from those bytes already, so the bytes need not be read again to know that they were UTF-8.
     */
    static final class Cuts {
        final byte[] document;
        private int[] starts = new int[4];
        private int[] ends = new int[4];
        private String[] texts = new String[4];
        private int count;

        Cuts(byte[] document) {
            this.document = document;
        }

        void add(int start, int end, String text) {
            if (count == starts.length) {
                starts = java.util.Arrays.copyOf(starts, count * 2);
                ends = java.util.Arrays.copyOf(ends, count * 2);
                texts = java.util.Arrays.copyOf(texts, count * 2);
            }
            starts[count] = start;
            ends[count] = end;
            texts[count] = text;
            count++;
        }

        int count() {
            return count;
        }

        int start(int i) {
            return starts[i];
        }

        int end(int i) {
            return ends[i];
        }

        String text(int i) {
            return texts[i];
        }
    }

    /** The body as JSON text: as sent when known, else written from the tree. */
    public String json() {
        return text != null ? text : tree.toString();
    }

    private static boolean isJsonWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

    /**
     * Reads the body the parser is at as a tree with {@code trees} and, when the document's source was passed (see
     * {@link #reading}) and the body is an object or an array, cuts its text out of the source between the offsets of
     * its first and last token. Scalars, which a body may not be anyway, and documents read without their source keep
     * only the tree.
     */
    static Body read(JsonParser p, DeserializationContext ctxt, ValueDeserializer<Object> trees) {
        JsonToken first = p.currentToken();
        Object source = ctxt.getAttribute(SOURCE);
        if (source == null || (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY)) {
            return Body.of((JsonNode) trees.deserialize(p, ctxt));
        }
        TokenStreamLocation from = p.currentTokenLocation();
        JsonNode tree = (JsonNode) trees.deserialize(p, ctxt);
        TokenStreamLocation to = p.currentLocation();
        if (source instanceof Cuts cuts) {
            String text = slice(cuts.document, from, to);
            if (text != null) {
                cuts.add((int) from.getByteOffset(), (int) to.getByteOffset(), text);
            }
            return new Body(tree, text);
        }
        return new Body(tree, slice(source, from, to));
    }

    /** The text between two locations of the source; null when the parser did not count in its units. */
    private static String slice(Object source, TokenStreamLocation from, TokenStreamLocation to) {
        if (source instanceof byte[] utf8) {
            // A parser over bytes that were not UTF-8 (Jackson detects UTF-16 and UTF-32) counts characters
            // of the decoded text and no bytes: no offsets, no slice.
            long start = from.getByteOffset();
            long end = to.getByteOffset();
            return start >= 0 && end > start && end <= utf8.length
                    ? new String(utf8, (int) start, (int) (end - start), StandardCharsets.UTF_8)
                    : null;
        }
        if (source instanceof String text) {
            long start = from.getCharOffset();
            long end = to.getCharOffset();
            return start >= 0 && end > start && end <= text.length() ? text.substring((int) start, (int) end) : null;
        }
        return null;
    }
}
