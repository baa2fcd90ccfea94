package com.northwind.eventing.intake.rest;

import com.northwind.eventing.common.json.JsonErrors;
import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every failure Spring MVC handles as an RFC 9457 problem: unknown paths and the unexpected. The publish endpoints
 * themselves are served by {@link EventServlet}, outside MVC.
 */
@RestControllerAdvice
class RestErrors extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(RestErrors.class);

    @ExceptionHandler(PublishException.class)
    ResponseEntity<Object> publish(PublishException e) {
        return ProblemResponses.of(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e) {
        log.error("Unexpected failure", e);
        return ProblemResponses.of(new PublishException(
                PublishException.Kind.UNAVAILABLE, "an unexpected error occurred; it has been logged"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ProblemResponses.of(
                new PublishException(PublishException.Kind.MALFORMED, JsonErrors.describe(e.getCause())));
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail p = body instanceof ProblemDetail pd ? pd : ProblemDetail.forStatus(statusCode);
        p.setType(URI.create(ErrorMapper.TYPE_BASE + slug(statusCode.value())));
        HttpHeaders h = new HttpHeaders();
        h.addAll(headers);
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(p, h, statusCode);
    }

    private static String slug(int status) {
        return switch (status) {
            case 400 -> "malformed-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal" : "malformed-request";
        };
    }
}
