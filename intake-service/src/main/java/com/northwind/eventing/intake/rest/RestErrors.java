package com.northwind.eventing.intake.rest;

import com.northwind.eventing.common.json.JsonErrors;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.web.Problems;
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
 * themselves are served by {@link EventServlet}, outside MVC; both answer through {@link ProblemResponses}.
 */
@RestControllerAdvice
class RestErrors extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(RestErrors.class);

    @ExceptionHandler(PublishException.class)
    ResponseEntity<Object> publish(PublishException e) {
        return ProblemResponses.of(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Object> unexpected(Exception e, WebRequest request) {
        return ProblemResponses.of(Problems.internal(log, "handling " + request.getDescription(false), e), null);
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
        p.setType(URI.create(Problems.TYPE_BASE + Problems.slug(statusCode.value())));
        HttpHeaders h = new HttpHeaders();
        h.addAll(headers);
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(p, h, statusCode);
    }
}
