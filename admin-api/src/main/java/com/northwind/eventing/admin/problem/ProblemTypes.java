package com.northwind.eventing.admin.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** The problem types of the admin API (RFC 9457); each is a stable URI clients may switch on. */
public enum ProblemTypes {
    MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request"),
    UNAUTHORIZED(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized"),
    FORBIDDEN(HttpStatus.FORBIDDEN, "forbidden", "Forbidden"),
    CSRF(HttpStatus.FORBIDDEN, "csrf", "Cross-site request refused"),
    NOT_FOUND(HttpStatus.NOT_FOUND, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable"),
    CONFLICT(HttpStatus.CONFLICT, "conflict", "Conflict"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
    VALIDATION(HttpStatus.UNPROCESSABLE_CONTENT, "validation", "Validation failed"),
    RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests"),
    UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error");

    public static final String BASE = "urn:eventing:problem:";

    private final HttpStatus status;
    private final URI type;
    private final String title;

    ProblemTypes(HttpStatus status, String slug, String title) {
        this.status = status;
        this.type = URI.create(BASE + slug);
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public URI type() {
        return type;
    }

    public ProblemDetail problem(String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(type);
        p.setTitle(title);
        return p;
    }

    /** The type for a status Spring reports on its own (wrong method, unknown path, ...). */
    public static ProblemTypes forStatus(int status) {
        for (ProblemTypes t : values()) {
            if (t.status.value() == status) {
                return t;
            }
        }
        return status >= 500 ? INTERNAL : MALFORMED_REQUEST;
    }
}
