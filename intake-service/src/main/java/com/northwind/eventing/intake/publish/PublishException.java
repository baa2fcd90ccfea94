package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.model.Violation;
import java.time.Duration;
import java.util.List;

/**
 * Why an event was not published: a refusal, with nothing written. It says what went wrong in the publish core's own
 * terms; how a transport answers it (an HTTP status and problem, a gRPC status) is {@code ErrorMapper}'s to say.
 */
public class PublishException extends RuntimeException {
    /** The kinds of refusal. */
    public enum Kind {
        /** The request is not well-formed: not JSON, not I-JSON, wrong types, unknown members, numbers or nesting out of bounds. */
        MALFORMED,
        /** No token, or a token no app holds. */
        UNAUTHENTICATED,
        /** The app may not publish this event type. */
        FORBIDDEN,
        /** The request, the batch, or the event's Kafka record is over its size limit. */
        TOO_LARGE,
        /** The body is not JSON. */
        UNSUPPORTED_MEDIA_TYPE,
        /** The event type is not registered. */
        UNKNOWN_EVENT_TYPE,
        /** The event breaks a rule: schema violations, metadata, tags. */
        INVALID,
        /** The app's rate limit is spent. */
        RATE_LIMITED,
        /** Kafka, the schema registry, or the intake's view of the registry cannot take the event now. */
        UNAVAILABLE
    }

    private final Kind kind;
    private final List<Violation> violations;
    private final Duration retryAfter;

    public PublishException(Kind kind, String message, List<Violation> violations, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.violations = List.copyOf(violations);
        this.retryAfter = retryAfter;
    }

    public PublishException(Kind kind, String message) {
        this(kind, message, List.of(), null);
    }

    /** A request that is not well-formed, at the member the violation names. */
    public static PublishException malformed(Violation violation) {
        return new PublishException(Kind.MALFORMED, describe(violation), List.of(violation), null);
    }

    public static PublishException invalid(List<Violation> violations) {
        String message = violations.size() == 1
                ? describe(violations.get(0))
                : "the event has " + violations.size() + " errors; see errors";
        return new PublishException(Kind.INVALID, message, violations, null);
    }

    private static String describe(Violation v) {
        return v.pointer().isEmpty() ? v.detail() : v.pointer() + ": " + v.detail();
    }

    public Kind kind() {
        return kind;
    }

    public List<Violation> violations() {
        return violations;
    }

    /** How long the client should wait before trying again, or null when a retry will not help. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
