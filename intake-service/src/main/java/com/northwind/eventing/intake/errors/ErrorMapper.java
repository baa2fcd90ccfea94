package com.northwind.eventing.intake.errors;

import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.intake.publish.PublishException;
import java.net.URI;
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
        return violations.stream()
                .map(v -> Map.of("pointer", v.pointer(), "detail", v.detail()))
                .toList();
    }
}
