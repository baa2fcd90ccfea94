package com.northwind.eventing.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problems as every HTTP service of the platform writes them: one type namespace, one shape, and one writer
 * for the places outside Spring MVC (servlets, filters, the container's own error pages), so that a client sees the
 * same problem whichever layer refused it.
 */
public final class Problems {
    /** Every problem type is this followed by a slug, such as {@code urn:eventing:problem:not-found}. */
    public static final String TYPE_BASE = "urn:eventing:problem:";
    /** The member of a 500 problem that names the log line holding its cause. */
    public static final String CORRELATION_ID = "correlationId";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    /** A problem of the type {@code TYPE_BASE + slug}. */
    public static ProblemDetail of(int status, String slug, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        p.setType(URI.create(TYPE_BASE + slug));
        p.setTitle(title);
        return p;
    }

    /** The slug the platform uses for a status that has no more specific one. */
    public static String slug(int status) {
        return switch (status) {
            case 400 -> "malformed-request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 409 -> "conflict";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 422 -> "validation";
            case 429 -> "rate-limited";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "malformed-request";
        };
    }

    /**
     * A 500 for a failure nobody expected. The cause goes to the log under a fresh correlation id, and the answer
     * carries only that id: no exception text, which could hold internals or a fragment of an event.
     */
    public static ProblemDetail internal(Logger log, String where, Throwable cause) {
        String id = UUID.randomUUID().toString();
        log.error("Unexpected failure {} [correlationId={}]", where, id, cause);
        ProblemDetail p =
                of(500, "internal", "Internal error", "an unexpected error occurred; it was logged under " + id);
        p.setProperty(CORRELATION_ID, id);
        return p;
    }

    /** The problem as a JSON object: the standard members in RFC 9457's order, then the extensions. */
    public static Map<String, Object> toMap(ProblemDetail p, String instance) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", p.getType().toString());
        m.put("title", p.getTitle());
        m.put("status", p.getStatus());
        if (p.getDetail() != null) {
            m.put("detail", p.getDetail());
        }
        if (instance != null) {
            m.put("instance", instance);
        } else if (p.getInstance() != null) {
            m.put("instance", p.getInstance().toString());
        }
        if (p.getProperties() != null) {
            m.putAll(p.getProperties());
        }
        return m;
    }

    /**
     * Writes the problem as the whole answer ({@code application/problem+json}), its instance the request's path as
     * received. Headers set before (Retry-After, WWW-Authenticate) stay.
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail p)
            throws IOException {
        byte[] body = JSON.writeValueAsBytes(toMap(p, request.getRequestURI()));
        response.setStatus(p.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
