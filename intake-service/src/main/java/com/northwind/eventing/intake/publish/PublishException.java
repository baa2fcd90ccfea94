package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.model.Violation;
import java.time.Duration;
import java.util.List;

/**
 * Why an event was not published. The transports map {@link Kind} to their own codes; nothing was written when this
 * is thrown.
 */
public class PublishException extends RuntimeException {
    /** The kinds of refusal, each with its HTTP status. */
    public enum Kind {
        /** The request is not well-formed: not JSON, wrong types, unknown members. */
        MALFORMED(400),
        /** No token, or a token no app holds. */
        UNAUTHENTICATED(401),
        /** The app may not publish this event type. */
        FORBIDDEN(403),
        /** The request or batch is over the size limit. */
        TOO_LARGE(413),
        /** The body is not JSON. */
        UNSUPPORTED_MEDIA_TYPE(415),
        /** The event type is not registered. */
        UNKNOWN_EVENT_TYPE(422),
        /** The event breaks a rule: schema violations, metadata, tags. */
        INVALID(422),
        /** The app's rate limit is spent. */
        RATE_LIMITED(429),
        /** Kafka cannot take the event now. */
        UNAVAILABLE(503);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
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
