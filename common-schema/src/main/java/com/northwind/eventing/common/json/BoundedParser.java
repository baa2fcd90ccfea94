package com.northwind.eventing.common.json;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.util.JsonParserDelegate;

/**
 * A parser that refuses, as it reads them, what is beyond a document's {@link JsonLimits}: a number whose exponent or
 * scale is past the bound (before anything makes a {@link java.math.BigDecimal} of it), an object or array nested too
 * deeply. Each refusal is a {@link JsonLimitException} naming the member.
 *
 * <p>Every token a reader asks for with {@link #nextToken()} or {@link #nextValue()} is seen here; names never are
 * numbers or containers. What {@link #skipChildren()} skips is not: a reader skips only what it refuses anyway.
 */
public final class BoundedParser extends JsonParserDelegate {
    private final int maxScale;
    private final int maxDepth;
    private final int bodyLevel;

    /**
     * @param bodyLevel how deeply the bodies sit in the document: 0 when the document is a body, 1 for the body of an
     *     event object, and so on; nesting is counted from there
     */
    public BoundedParser(JsonParser parser, JsonLimits limits, int bodyLevel) {
        super(parser);
        this.maxScale = limits.maxNumberScale();
        this.maxDepth = limits.maxDepth();
        this.bodyLevel = bodyLevel;
    }

    @Override
    public JsonToken nextToken() throws JacksonException {
        return checked(delegate.nextToken());
    }

    @Override
    public JsonToken nextValue() throws JacksonException {
        return checked(delegate.nextValue());
    }

    private JsonToken checked(JsonToken t) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT) {
            checkNumber();
        } else if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
            if (delegate.streamReadContext().getNestingDepth() - bodyLevel > maxDepth) {
                throw new JsonLimitException(
                        this,
                        JsonLocator.pointerOf(this),
                        "objects and arrays nest deeper than " + maxDepth + " levels");
            }
        }
        return t;
    }

    /**
     * Reads the exponent and the digits after the point off the number's text, as JSON writes it
     * ({@code -?int(.frac)?([eE][+-]?digits)?}); the scale of its BigDecimal is the fraction's length less the
     * exponent.
     */
    private void checkNumber() {
        char[] text = delegate.getStringCharacters();
        int i = delegate.getStringOffset();
        int end = i + delegate.getStringLength();
        int fraction = 0;
        boolean afterPoint = false;
        for (; i < end; i++) {
            char c = text[i];
            if (c == 'e' || c == 'E') {
                break;
            }
            if (afterPoint) {
                fraction++;
            } else if (c == '.') {
                afterPoint = true;
            }
        }
        long exponent = 0;
        if (i < end) {
            i++;
            boolean negative = i < end && text[i] == '-';
            if (i < end && (text[i] == '-' || text[i] == '+')) {
                i++;
            }
            for (; i < end; i++) {
                // Saturates: an exponent of a thousand digits is still only "too large".
                exponent = Math.min(exponent * 10 + (text[i] - '0'), Integer.MAX_VALUE);
            }
            exponent = negative ? -exponent : exponent;
        }
        long scale = fraction - exponent;
        if (Math.abs(exponent) > maxScale || Math.abs(scale) > maxScale) {
            throw new JsonLimitException(
                    this,
                    JsonLocator.pointerOf(this),
                    "a number's exponent and its scale may be at most " + maxScale + " either way");
        }
    }
}
