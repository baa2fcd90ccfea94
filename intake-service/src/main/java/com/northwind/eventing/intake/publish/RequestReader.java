package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.json.BoundedParser;
import com.northwind.eventing.common.json.JsonErrors;
import com.northwind.eventing.common.json.JsonLimitException;
import com.northwind.eventing.common.json.JsonLimits;
import com.northwind.eventing.common.json.JsonLocator;
import com.northwind.eventing.common.json.StrictText;
import com.northwind.eventing.common.model.Violation;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what producers send, whatever the transport, by every rule a document passes before anything else looks at
 * it, and refuses the rest as MALFORMED (400, INVALID_ARGUMENT) naming the member:
 * <ul>
 *   <li>the text is I-JSON: well-formed UTF-8 (or strictly decoded from the declared charset) and no lone surrogate
 *       escape ({@link StrictText});
 *   <li>no number's exponent or scale, and no body's nesting, is beyond its {@link JsonLimits}
 *       ({@link BoundedParser}), so that nothing read costs more to check than its length says;
 *   <li>then the {@link RequestJson} rules of the mapper.
 * </ul>
 * The text checks run on the raw bytes before the parser; a usual event, ASCII without escapes, is read eight bytes a
 * step there. Where something is wrong the document is read once more to name the member.
 */
public final class RequestReader {
    /** How deeply a body sits in a single event: inside the event object. */
    public static final int EVENT = 1;
    /** How deeply a body sits in a batch: inside its event, inside {@code events}, inside the batch object. */
    public static final int BATCH = 3;

    private final JsonMapper mapper;
    private final JsonLimits limits;
    private final ObjectReader trees;
    private final ObjectReader events;

    /** @param mapper a mapper with the {@link RequestJson} rules */
    public RequestReader(JsonMapper mapper, JsonLimits limits) {
        this.mapper = mapper;
        this.limits = limits;
        this.trees = mapper.readerFor(JsonNode.class);
        this.events = mapper.readerFor(PublishRequest.class);
    }

    /** A reader by the {@link RequestJson} rules and the given limits. */
    public static RequestReader strict(JsonLimits limits) {
        return new RequestReader(RequestJson.MAPPER, limits);
    }

    /** The mapper documents are read with. */
    public JsonMapper mapper() {
        return mapper;
    }

    /**
     * Reads a document, given as bytes in a charset, with {@code reader} (made by {@link #mapper()}); the bodies in it
     * keep their text as sent.
     *
     * @param bodyLevel how deeply the bodies sit in the document: {@link #EVENT}, {@link #BATCH}
     * @return what the reader reads; null for the JSON literal null
     * @throws PublishException MALFORMED, naming the member where it can
     */
    public <T> T read(ObjectReader reader, byte[] document, Charset charset, int bodyLevel) {
        if (charset == StandardCharsets.UTF_8) {
            long found = StrictText.scan(document);
            if (found >= 0) {
                throw malformed(JsonLocator.pointerAt(document, found), StrictText.describe(document, (int) found));
            }
            ObjectReader r = Body.reading(reader, document);
            return parse(r, r.createParser(document), bodyLevel);
        }
        String text = decode(document, charset);
        checkEscapes(text, "");
        ObjectReader r = Body.reading(reader, text);
        return parse(r, r.createParser(text), bodyLevel);
    }

    /** Reads one event given as UTF-8 bytes ({@link #read} with {@link #EVENT}). */
    public PublishRequest event(byte[] utf8) {
        return read(events, utf8, StandardCharsets.UTF_8, EVENT);
    }

    /** A document as a tree, by the same rules. */
    public JsonNode tree(byte[] document, Charset charset, int bodyLevel) {
        return read(trees, document, charset, bodyLevel);
    }

    /**
     * An event given as a tree that was read by these rules (an event of a batch read as a tree).
     *
     * @throws PublishException MALFORMED when its members are not an event's
     */
    public PublishRequest event(JsonNode tree) {
        try {
            return mapper.treeToValue(tree, PublishRequest.class);
        } catch (JacksonException e) {
            throw new PublishException(PublishException.Kind.MALFORMED, JsonErrors.describe(e));
        }
    }

    /**
     * A body given on its own as JSON text (gRPC's {@code body} field), by the same rules; null when blank, which the
     * publish core refuses as a missing body. Members are named from {@code /body}.
     *
     * @throws PublishException MALFORMED when it is not one such JSON value
     */
    public Body body(String json) {
        if (json.isBlank()) {
            return null;
        }
        checkEscapes(json, "/body");
        JsonParser parser = trees.createParser(json);
        JsonNode tree;
        try (JsonParser p = new BoundedParser(parser, limits, 0)) {
            tree = trees.readValue(p);
        } catch (JsonLimitException e) {
            throw malformed("/body" + e.pointer(), e.problem());
        } catch (StreamConstraintsException e) {
            throw malformed("/body" + JsonLocator.pointerOf(parser), constraint(e));
        } catch (JacksonException e) {
            throw new PublishException(PublishException.Kind.MALFORMED, JsonErrors.describe(e));
        }
        return Body.ofText(tree, json);
    }

    private <T> T parse(ObjectReader reader, JsonParser parser, int bodyLevel) {
        try (JsonParser p = new BoundedParser(parser, limits, bodyLevel)) {
            return reader.readValue(p);
        } catch (JsonLimitException e) {
            throw malformed(e.pointer(), e.problem());
        } catch (StreamConstraintsException e) {
            throw malformed(JsonLocator.pointerOf(parser), constraint(e));
        } catch (JacksonException e) {
            throw new PublishException(PublishException.Kind.MALFORMED, JsonErrors.describe(e));
        }
    }

    private static void checkEscapes(String text, String prefix) {
        long found = StrictText.scan(text);
        if (found >= 0) {
            throw malformed(prefix + JsonLocator.pointerAt(text, found), StrictText.describe(text, (int) found));
        }
    }

    /** The text of a document in a charset other than UTF-8, refused where it does not decode: no U+FFFD in its place. */
    private static String decode(byte[] document, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(document);
        CharBuffer out = CharBuffer.allocate((int) (document.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isUnderflow()) {
            result = decoder.flush(out);
        }
        if (!result.isUnderflow()) {
            throw malformed("", "the body is not valid " + charset.name() + " at byte " + in.position());
        }
        return out.flip().toString();
    }

    /** A limit of the parser's own (a number's length, a name's length), in words without its configuration key. */
    private static String constraint(StreamConstraintsException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        return message.replaceAll(", from `[^`]*`", "").trim();
    }

    private static PublishException malformed(String pointer, String problem) {
        return PublishException.malformed(new Violation(pointer, problem));
    }
}
