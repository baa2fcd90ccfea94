package com.northwind.eventing.admin.store;

import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.northwind.eventing.admin.problem.ProblemTypes;
import com.northwind.eventing.web.Problems;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The store routes' own problems: a bad parameter, named; the store out of reach or too slow, a 503. The backtest
 * reads the store too, and gets the same 503s.
 */
@RestControllerAdvice(
        assignableTypes = StoreController.class,
        basePackages = {
            "com.northwind.eventing.admin.backtest",
            "com.northwind.eventing.admin.audit",
            "com.northwind.eventing.admin.catalog"
        })
@Order(Ordered.HIGHEST_PRECEDENCE)
class StoreProblems {
    private static final Logger log = LoggerFactory.getLogger(StoreProblems.class);

    @ExceptionHandler(StoreParameterException.class)
    ResponseEntity<ProblemDetail> parameter(StoreParameterException e) {
        int status = e.status();
        ProblemDetail p = Problems.of(
                status,
                Problems.slug(status),
                status == 400 ? "Malformed request" : "Validation failed",
                e.getMessage());
        p.setProperty("parameter", e.parameter());
        if (status == 422) {
            p.setProperty("errors", List.of(Map.of("parameter", e.parameter(), "detail", e.getMessage())));
        }
        return respond(p, HttpHeaders.EMPTY);
    }

    @ExceptionHandler({MongoTimeoutException.class, MongoSocketException.class})
    ResponseEntity<ProblemDetail> unreachable(RuntimeException e) {
        log.warn("Event store unreachable: {}", e.getClass().getSimpleName());
        return unavailable("the event store cannot be reached; try again later");
    }

    @ExceptionHandler(MongoExecutionTimeoutException.class)
    ResponseEntity<ProblemDetail> tooSlow(MongoExecutionTimeoutException e) {
        log.warn("Event store query ran out of time");
        return unavailable("the event store did not answer in time; narrow the search (type, from/to) or try later");
    }

    private static ResponseEntity<ProblemDetail> unavailable(String detail) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.RETRY_AFTER, "5");
        return respond(ProblemTypes.STORE_UNAVAILABLE.problem(detail), headers);
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail p, HttpHeaders headers) {
        return ResponseEntity.status(p.getStatus())
                .headers(headers)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}
