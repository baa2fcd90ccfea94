package com.northwind.eventing.intake.publish;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * How every transport reads a producer's JSON: strictly and exactly. A member the request does not have is refused
 * rather than ignored (Jackson 3 ignores them by default); a member given twice is refused rather than
 * last-one-wins; anything after the value is refused; a value of the wrong type is refused rather than coerced
 * ({@code "tags": [1, 2]}, {@code "synthetic": "true"}); and decimals are read as decimals, so {@code 125.10} stays
 * itself and {@code 1e400} is a number, never an infinity that would not survive as JSON.
 */
public final class RequestJson {
    /** A mapper with these rules, for bodies that arrive as text (gRPC). */
    public static final JsonMapper MAPPER = configure(JsonMapper.builder()).build();

    private RequestJson() {}

    /** Applies the rules to a builder; REST's mapper is configured through this too. */
    public static JsonMapper.Builder configure(JsonMapper.Builder builder) {
        return builder.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .withCoercionConfig(
                        LogicalType.Textual,
                        c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                // Jackson reads a blank string as null for a Boolean even without coercion of scalars.
                .withCoercionConfig(
                        LogicalType.Boolean,
                        c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                                .setAcceptBlankAsEmpty(false));
    }
}
