package com.northwind.eventing.intake.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.web.Problems;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.springframework.http.ProblemDetail;

/**
 * The one place that says how a failure to publish looks on the wire: as an RFC 9457 problem (status, type, title,
 * detail, {@code errors}, and the headers that go with it) for REST and as a {@code google.rpc.Status} for gRPC.
 * A {@link PublishException} is a refusal and says which; anything else is a failure nobody expected, answered 500
 * (gRPC INTERNAL) with only a correlation id that its ERROR log line carries too, never a 503 that tells a client to
 * retry a bug.
 */
public final class ErrorMapper {
    /** The reason in {@code google.rpc.ErrorInfo}; its domain is the platform's. */
    public static final String ERROR_DOMAIN = "eventing.northwind.com";
    /** The realm a 401 names in its {@code WWW-Authenticate}. */
    static final String REALM = "Bearer realm=\"eventing-intake\"";

    private ErrorMapper() {}

    /** The HTTP status of each kind. */
    public static int status(PublishException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_MEDIA_TYPE -> 415;
            case UNKNOWN_EVENT_TYPE, INVALID -> 422;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
    }

    /** The problem type's last segment for each kind; the gRPC ErrorInfo reason is the same slug. */
    public static String slug(PublishException.Kind kind) {
        return switch (kind) {
            case UNKNOWN_EVENT_TYPE -> "unknown-event-type";
            default -> Problems.slug(status(kind));
        };
    }

    static String title(PublishException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> "Malformed request";
            case UNAUTHENTICATED -> "Unauthorized";
            case FORBIDDEN -> "Forbidden";
            case TOO_LARGE -> "Payload too large";
            case UNSUPPORTED_MEDIA_TYPE -> "Unsupported media type";
            case UNKNOWN_EVENT_TYPE -> "Unknown event type";
            case INVALID -> "Validation failed";
            case RATE_LIMITED -> "Too many requests";
            case UNAVAILABLE -> "Service unavailable";
        };
    }

    /** The failure behind an asynchronous outcome: what a CompletionException or ExecutionException wraps. */
    public static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** The refusal as a problem. */
    public static ProblemDetail toProblem(PublishException e) {
        ProblemDetail p = Problems.of(status(e.kind()), slug(e.kind()), title(e.kind()), e.getMessage());
        if (!e.violations().isEmpty()) {
            p.setProperty("errors", errors(e.violations()));
        }
        return p;
    }

    /**
     * Any failure as a problem: a refusal as itself, anything else as a 500 whose cause is logged under the
     * correlation id the answer carries.
     *
     * @param where what was being done, for the log line ("publishing on /v1/events")
     */
    public static ProblemDetail toProblem(Throwable failure, Logger log, String where) {
        Throwable cause = unwrap(failure);
        return cause instanceof PublishException e ? toProblem(e) : Problems.internal(log, where, cause);
    }

    /** The headers a refusal's answer carries: {@code Retry-After} when a retry can help, the realm for a 401. */
    public static Map<String, String> headers(PublishException e) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (e.retryAfter() != null) {
            headers.put(
                    "Retry-After", String.valueOf(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (e.kind() == PublishException.Kind.UNAUTHENTICATED) {
            headers.put("WWW-Authenticate", REALM);
        }
        return headers;
    }

    static List<Map<String, String>> errors(List<Violation> violations) {
        return violations.stream().map(Violation::asProblemError).toList();
    }

    /**
     * The refusal as a {@code google.rpc.Status}: the gRPC code of its kind, an {@code ErrorInfo} (reason = the
     * problem slug, domain {@link #ERROR_DOMAIN}, {@code retryAfterMillis} in its metadata when a retry can help), a
     * {@code BadRequest} whose field violations are the JSON Pointers of the violations, and a {@code RetryInfo} when
     * a retry can help.
     *
     * <p>TOO_LARGE is RESOURCE_EXHAUSTED, the code gRPC itself answers for a message over the server's inbound limit,
     * so that every "too large" looks alike to a client; without a RetryInfo it tells the client that sending the
     * same request again will not help, unlike a rate limit.
     */
    public static com.google.rpc.Status toStatus(PublishException e) {
        Code code = switch (e.kind()) {
            case MALFORMED, UNSUPPORTED_MEDIA_TYPE, UNKNOWN_EVENT_TYPE, INVALID -> Code.INVALID_ARGUMENT;
            case UNAUTHENTICATED -> Code.UNAUTHENTICATED;
            case FORBIDDEN -> Code.PERMISSION_DENIED;
            case TOO_LARGE, RATE_LIMITED -> Code.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Code.UNAVAILABLE;
        };
        com.google.rpc.Status.Builder status = com.google.rpc.Status.newBuilder()
                .setCode(code.getNumber())
                .setMessage(e.getMessage() == null ? title(e.kind()) : e.getMessage());
        ErrorInfo.Builder info =
                ErrorInfo.newBuilder().setReason(slug(e.kind())).setDomain(ERROR_DOMAIN);
        Duration retryAfter = e.retryAfter();
        if (retryAfter != null) {
            info.putMetadata("retryAfterMillis", String.valueOf(retryAfter.toMillis()));
        }
        status.addDetails(Any.pack(info.build()));
        if (!e.violations().isEmpty()) {
            BadRequest.Builder bad = BadRequest.newBuilder();
            for (Violation v : e.violations()) {
                bad.addFieldViolations(BadRequest.FieldViolation.newBuilder()
                        .setField(v.pointer())
                        .setDescription(v.detail()));
            }
            status.addDetails(Any.pack(bad.build()));
        }
        if (retryAfter != null) {
            status.addDetails(Any.pack(RetryInfo.newBuilder()
                    .setRetryDelay(com.google.protobuf.Duration.newBuilder()
                            .setSeconds(retryAfter.getSeconds())
                            .setNanos(retryAfter.getNano()))
                    .build()));
        }
        return status.build();
    }

    /**
     * Any failure as a {@code google.rpc.Status}: a refusal as itself, anything else as INTERNAL with an
     * {@code ErrorInfo} (reason {@code internal}) whose metadata holds the correlation id of the logged cause.
     */
    public static com.google.rpc.Status toStatus(Throwable failure, Logger log, String where) {
        Throwable cause = unwrap(failure);
        if (cause instanceof PublishException e) {
            return toStatus(e);
        }
        ProblemDetail internal = Problems.internal(log, where, cause);
        String id = String.valueOf(internal.getProperties().get(Problems.CORRELATION_ID));
        return com.google.rpc.Status.newBuilder()
                .setCode(Code.INTERNAL.getNumber())
                .setMessage(internal.getDetail())
                .addDetails(Any.pack(ErrorInfo.newBuilder()
                        .setReason(Problems.slug(500))
                        .setDomain(ERROR_DOMAIN)
                        .putMetadata(Problems.CORRELATION_ID, id)
                        .build()))
                .build();
    }
}
