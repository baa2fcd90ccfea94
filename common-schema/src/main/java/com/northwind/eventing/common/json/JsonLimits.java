package com.northwind.eventing.common.json;

/**
 * Bounds on what a JSON document may hold beyond its length, for documents whose numbers and structure are checked or
 * computed on later: each is cheap to read and costly to work on past its bound.
 *
 * @param maxNumberScale the most a number's decimal exponent, and its scale as a {@link java.math.BigDecimal}, may be
 *     either way ({@code 1e1000} and {@code 1e-1000} are at the bound): arithmetic on {@code 1e200000} as an exact
 *     decimal takes seconds
 * @param maxDepth how deeply objects and arrays may nest in a body, the body itself being the first level
 */
public record JsonLimits(int maxNumberScale, int maxDepth) {
    /** The platform's defaults: an exponent or scale up to 1,000 either way, bodies nested up to 64 levels. */
    public static final JsonLimits DEFAULT = new JsonLimits(1000, 64);

    public JsonLimits {
        if (maxNumberScale < 1) {
            throw new IllegalArgumentException("the largest number scale must be 1 or more");
        }
        if (maxDepth < 1) {
            throw new IllegalArgumentException("the deepest nesting must be 1 or more");
        }
    }
}
