package com.northwind.eventing.intake.errors;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.intake.publish.PublishException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * The one place that says how a refusal looks on the wire: as an RFC 9457 problem for REST and as a
 * {@code google.rpc.Status} for gRPC, from the same {@link PublishException}.
 */
public final class ErrorMapper {
    public static final String TYPE_BASE = "urn:eventing:problem:";
    /** The reason in {@code google.rpc.ErrorInfo}; its domain is the platform's. */
    public static final String ERROR_DOMAIN = "eventing.northwind.com";

    private ErrorMapper() {}

    /** The problem type's last segment and title for each kind; the gRPC ErrorInfo reason is the same slug. */
    public static String slug(PublishException.Kind kind) {
        return switch (kind) {
            case MALFORMED -> "malformed-request";
            case UNAUTHENTICATED -> "unauthorized";
            case FORBIDDEN -> "forbidden";
            case TOO_LARGE -> "payload-too-large";
            case UNSUPPORTED_MEDIA_TYPE -> "unsupported-media-type";
            case UNKNOWN_EVENT_TYPE -> "unknown-event-type";
            case INVALID -> "validation";
            case RATE_LIMITED -> "rate-limited";
            case UNAVAILABLE -> "unavailable";
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

    public static ProblemDetail toProblem(PublishException e) {
        ProblemDetail p =
                ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(e.kind().httpStatus()), e.getMessage());
        p.setType(URI.create(TYPE_BASE + slug(e.kind())));
        p.setTitle(title(e.kind()));
        if (!e.violations().isEmpty()) {
            p.setProperty("errors", errors(e.violations()));
        }
        return p;
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
}
