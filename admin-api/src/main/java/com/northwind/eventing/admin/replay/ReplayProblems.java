package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.problem.ProblemTypes;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** A replay request member that cannot be read: a 400 naming it (the other problems are the admin API's own). */
@RestControllerAdvice(assignableTypes = ReplayController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ReplayProblems {
    @ExceptionHandler(MalformedMemberException.class)
    ResponseEntity<ProblemDetail> malformed(MalformedMemberException e) {
        ProblemDetail p = ProblemTypes.MALFORMED_REQUEST.problem(e.getMessage());
        p.setProperty("pointer", e.pointer());
        return ResponseEntity.badRequest()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(p);
    }
}
