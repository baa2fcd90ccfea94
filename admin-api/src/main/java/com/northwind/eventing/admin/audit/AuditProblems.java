package com.northwind.eventing.admin.audit;

import com.northwind.eventing.admin.problem.ProblemTypes;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A change whose audit entry could not be written is answered 503, never as a success. */
@RestControllerAdvice
class AuditProblems {
    @ExceptionHandler(AuditUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(AuditUnavailableException e) {
        return ResponseEntity.status(503)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemTypes.AUDIT_UNAVAILABLE.problem(e.getMessage()));
    }
}
