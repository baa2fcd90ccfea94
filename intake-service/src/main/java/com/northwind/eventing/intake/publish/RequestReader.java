package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.json.BoundedNumbers;
import com.northwind.eventing.common.json.JsonErrors;
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
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads what producers send, whatever the transport, by every rule a document passes before anything else looks at
 * it, and refuses the rest as MALFORMED (400, INVALID_ARGUMENT) naming the member:
 * <ul>
 *   <li>the text is I-JSON: well-formed UTF-8 (or strictly decoded from the declared charset) and no lone surrogate
 *       escape ({@link StrictText}). The bodies, most of an event's bytes, are decoded into their text anyway: Java's
 *       decoder is as strict as the rule, so a body whose text holds no U+FFFD (known at once for text that is all
 *       Latin-1) and no backslash needs no second look at its bytes. The rest of the document is scanned, eight bytes a
 *       step while they are ASCII without a backslash;
 *   <li>no number's exponent or scale is beyond the bound ({@link BoundedNumbers}, as the body's tree is built);
 *   <li>no body nests deeper than the bound: the parser's own nesting limit, set for where the bodies sit in the
 *       document;
 *   <li>then the {@link RequestJson} rules.
 * </ul>
 * Where something is wrong the document is read once more to name the member.
 */
public final class RequestReader {
    /** How deeply a body sits in a document that is the body itself (gRPC's {@code body} field). */
    public static final int BODY = 0;
    /** How deeply a body sits in a single event: inside the event object. */
    public static final int EVENT = 1;
    /** How deeply a body sits in a batch: inside its event, inside {@code events}, inside the batch object. */
    public static final int BATCH = 3;

    private final JsonLimits limits;
    /** A mapper per level a body sits at, each with the nesting limit that leaves its bodies {@code maxDepth}. */
    private final JsonMapper[] mappers = new JsonMapper[BATCH + 1];

    private final ObjectReader events;
    private final ObjectReader bodies;

    public RequestReader(JsonLimits limits) {
        this.limits = limits;
        for (int level : new int[] {BODY, EVENT, BATCH}) {
            JsonFactory factory = JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(limits.maxDepth() + level)
                            .build())
                    .build();
            mappers[level] = RequestJson.configure(JsonMapper.builder(factory))
                    .nodeFactory(new BoundedNumbers(limits.maxNumberScale()))
                    .build();
        }
        this.events = readerFor(PublishRequest.class, EVENT);
        this.bodies = readerFor(JsonNode.class, BODY);
    }

    /** A reader of {@code type} by these rules, for documents whose bodies sit at {@code bodyLevel}. */
    public ObjectReader readerFor(Class<?> type, int bodyLevel) {
        return mappers[bodyLevel].readerFor(type);
    }

    /**
     * Reads a document, given as bytes in a charset, with {@code reader} (made by {@link #readerFor}); the bodies in it
     * keep their text as sent.
     *
     * @return what the reader reads; null for the JSON literal null
     * @throws PublishException MALFORMED, naming the member where it can
     */
    public <T> T read(ObjectReader reader, byte[] document, Charset charset) {
        if (charset == StandardCharsets.UTF_8) {
            Body.Cuts cuts = new Body.Cuts(document);
            ObjectReader r = Body.reading(reader, cuts);
            T value;
            try {
                value = parse(r, r.createParser(document), "");
            } catch (PublishException e) {
                // Text that is no I-JSON may be what the parser stumbled on: say that, precisely, first.
                checkText(document, new Body.Cuts(document));
                throw e;
            }
            checkText(document, cuts);
            return value;
        }
        String text = decode(document, charset);
        checkEscapes(text, "");
        ObjectReader r = Body.reading(reader, text);
        return parse(r, r.createParser(text), "");
    }

    /** Reads one event given as UTF-8 bytes. */
    public PublishRequest event(byte[] utf8) {
        return read(events, utf8, StandardCharsets.UTF_8);
    }

    /** A document as a tree, by the same rules. */
    public JsonNode tree(byte[] document, Charset charset, int bodyLevel) {
        return read(readerFor(JsonNode.class, bodyLevel), document, charset);
    }

    /**
     * An event given as a tree that was read by these rules (an event of a batch read as a tree).
     *
     * @throws PublishException MALFORMED when its members are not an event's
     */
    public PublishRequest event(JsonNode tree) {
        try {
            return mappers[EVENT].treeToValue(tree, PublishRequest.class);
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
        return Body.ofText(parse(bodies, bodies.createParser(json), "/body"), json);
    }

    private <T> T parse(ObjectReader reader, JsonParser parser, String prefix) {
        try (JsonParser p = parser) {
            return reader.readValue(p);
        } catch (BoundedNumbers.Exceeded | NumberFormatException e) {
            // A BigDecimal's exponent past int is past any bound too.
            throw malformed(prefix + JsonLocator.pointerOf(parser), numberProblem());
        } catch (StreamConstraintsException e) {
            throw malformed(prefix + JsonLocator.pointerOf(parser), constraint(e));
        } catch (JacksonException e) {
            if (e.getCause() instanceof BoundedNumbers.Exceeded || e.getCause() instanceof NumberFormatException) {
                // A record's deserializer wraps what a member's value threw; the parser still stands at the number.
                throw malformed(prefix + JsonLocator.pointerOf(parser), numberProblem());
            }
            throw new PublishException(PublishException.Kind.MALFORMED, JsonErrors.describe(e));
        }
    }

    /**
     * Checks a UTF-8 document's text: each body cut out of it by its text, when that shows it has nothing to look at,
     * else by its bytes; the bytes around the bodies by themselves.
     */
    private static void checkText(byte[] document, Body.Cuts cuts) {
        int from = 0;
        for (int i = 0; i < cuts.count(); i++) {
            checkBytes(document, from, cuts.start(i));
            String text = cuts.text(i);
            if (text.indexOf('\\') >= 0 || text.indexOf('\uFFFD') >= 0) {
                checkBytes(document, cuts.start(i), cuts.end(i));
            }
            from = cuts.end(i);
        }
        checkBytes(document, from, document.length);
    }

    private static void checkBytes(byte[] document, int from, int to) {
        long found = StrictText.scan(document, from, to);
        if (found >= 0) {
            throw malformed(JsonLocator.pointerAt(document, found), StrictText.describe(document, (int) found));
        }
    }

    private String numberProblem() {
        return "a number's exponent and its scale may be at most " + limits.maxNumberScale() + " either way";
    }

    /** A limit of the parser's own, in words without its configuration keys. */
    private String constraint(StreamConstraintsException e) {
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (message.startsWith("Document nesting depth")) {
            return "objects and arrays nest deeper than " + limits.maxDepth() + " levels";
        }
        return message.replaceAll(", from `[^`]*`", "").trim();
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

    private static PublishException malformed(String pointer, String problem) {
        return PublishException.malformed(new Violation(pointer, problem));
    }
}
