package com.northwind.eventing.common.json;

import java.math.BigDecimal;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ValueNode;

/**
 * Makes the number nodes of the trees a mapper reads, refusing a decimal whose scale or exponent is beyond a bound:
 * {@code 1e200000} is eight characters and an exact BigDecimal, and a JSON Schema's {@code multipleOf} on it takes
 * seconds. The parser has made the BigDecimal by then, which for any number it accepts (at most 1,000 characters) is
 * cheap; an exponent past {@code int} fails there already, with a NumberFormatException. Integers have scale 0 and at
 * most 1,000 digits, and need nothing.
 *
 * <p>The refusal carries no place: the caller, which holds the parser, names the member from where the parser stands.
 */
public final class BoundedNumbers extends JsonNodeFactory {
    private static final long serialVersionUID = 1L;

    private final int maxScale;

    /** @param maxScale the most a decimal's scale, and its exponent in scientific notation, may be either way */
    public BoundedNumbers(int maxScale) {
        this.maxScale = maxScale;
    }

    @Override
    public ValueNode numberNode(BigDecimal value) {
        if (value != null) {
            int scale = value.scale();
            long exponent = (long) value.precision() - scale - 1;
            if (Math.abs((long) scale) > maxScale || Math.abs(exponent) > maxScale) {
                throw new Exceeded(maxScale);
            }
        }
        return super.numberNode(value);
    }

    /** A decimal past the bound, thrown out of the tree being read. */
    public static final class Exceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exceeded(int maxScale) {
            super("a number's exponent and its scale may be at most " + maxScale + " either way", null, false, false);
        }
    }
}
