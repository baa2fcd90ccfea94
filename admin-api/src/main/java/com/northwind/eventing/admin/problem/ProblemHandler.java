package com.northwind.eventing.admin.problem;

import com.northwind.eventing.common.json.JsonErrors;
import com.northwind.eventing.common.kafka.RegistryUnavailableException;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
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
import tools.jackson.core.JacksonException;

/**
 * Turns every failure of the admin API into an RFC 9457 problem: domain errors by their kind, Spring's own errors by
 * their status, and anything unexpected into a 500 that reveals nothing of the internals.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public class ProblemHandler extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(ValidationException.class)
    ResponseEntity<ProblemDetail> validation(ValidationException e) {
        return respond(validationProblem(e.violations()));
    }

    public static ProblemDetail validationProblem(List<Violation> violations) {
        ProblemDetail p = ProblemTypes.VALIDATION.problem(
                violations.size() == 1
                        ? describe(violations.get(0))
                        : "the request has " + violations.size() + " errors; see errors");
        p.setProperty(
                "errors", violations.stream().map(Violation::asProblemError).toList());
        return p;
    }

    private static String describe(Violation v) {
        return v.pointer().isEmpty() ? v.detail() : v.pointer() + ": " + v.detail();
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return respond(ProblemTypes.NOT_FOUND.problem(e.getMessage()));
    }

    @ExceptionHandler(ForbiddenException.class)
    ResponseEntity<ProblemDetail> forbidden(ForbiddenException e) {
        return respond(ProblemTypes.FORBIDDEN.problem(e.getMessage()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ProblemDetail> conflict(ConflictException e) {
        return respond(ProblemTypes.CONFLICT.problem(e.getMessage()));
    }

    @ExceptionHandler(RegistryUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(RegistryUnavailableException e) {
        log.warn("Registry unavailable: {}", e.getMessage());
        return ResponseEntity.status(503)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemTypes.UNAVAILABLE.problem(e.getMessage()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
        return respond(Problems.internal(log, "serving " + request.getMethod() + " " + request.getRequestURI(), e));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        // A nested model record (tags, rateLimit, ...) that refuses its values is a 422, located under its member.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ValidationException v && e.getCause() instanceof JacksonException j) {
                String prefix = JsonErrors.pointer(j);
                List<Violation> located = v.violations().stream()
                        .map(x -> new Violation(prefix + x.pointer(), x.detail()))
                        .toList();
                return new ResponseEntity<>(validationProblem(located), problemHeaders(), 422);
            }
        }
        // Says what is wrong without echoing the content: a body may hold PHI.
        ProblemDetail p = ProblemTypes.MALFORMED_REQUEST.problem(JsonErrors.describe(e.getCause()));
        return new ResponseEntity<>(p, problemHeaders(), 400);
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception ex, Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
        // Spring's own errors (405, 406, 415, 404 for unknown paths, ...) get our problem types too.
        ProblemTypes type = ProblemTypes.forStatus(statusCode.value());
        ProblemDetail p = body instanceof ProblemDetail pd ? pd : ProblemDetail.forStatus(statusCode);
        p.setType(type.type());
        HttpHeaders h = new HttpHeaders();
        h.addAll(headers);
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(p, h, statusCode);
    }

    private static HttpHeaders problemHeaders() {
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return h;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p) {
        return ResponseEntity.status(p.getStatus())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}
