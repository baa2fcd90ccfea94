package com.northwind.eventing.intake.rest;

import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * REST's answers for failures, as {@link ErrorMapper} maps them: the problem with the headers that go with it
 * (Retry-After for 429 and 503, WWW-Authenticate for 401), written by {@link Problems#write} where Spring MVC is not
 * in the way (the publish servlet) and as a response entity where it is.
 */
final class ProblemResponses {
    private ProblemResponses() {}

    /**
     * Writes a failure as the whole answer: a refusal as its problem, anything else as a 500 whose cause is logged.
     *
     * @param where what was being done, for the log line of an unexpected failure
     */
    static void write(
            HttpServletRequest request, HttpServletResponse response, Throwable failure, Logger log, String where)
            throws IOException {
        Throwable cause = ErrorMapper.unwrap(failure);
        if (cause instanceof PublishException e) {
            ErrorMapper.headers(e).forEach(response::setHeader);
        }
        Problems.write(request, response, ErrorMapper.toProblem(cause, log, where));
    }

    /** A refusal as a response entity. */
    static ResponseEntity<Object> of(PublishException e) {
        return of(ErrorMapper.toProblem(e), e);
    }

    /** A problem as a response entity, with the headers of the refusal it stands for (null for none). */
    static ResponseEntity<Object> of(ProblemDetail problem, PublishException refusal) {
        ResponseEntity.BodyBuilder b =
                ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (refusal != null) {
            ErrorMapper.headers(refusal).forEach((name, value) -> b.header(name, value));
        }
        return b.body(problem);
    }
}
