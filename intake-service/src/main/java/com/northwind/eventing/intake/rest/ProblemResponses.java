package com.northwind.eventing.intake.rest;

import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import java.util.concurrent.CompletionException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** Problem responses with their headers: Retry-After for 429 and 503, WWW-Authenticate for 401. */
final class ProblemResponses {
    private ProblemResponses() {}

    static ResponseEntity<Object> of(PublishException e) {
        ResponseEntity.BodyBuilder b =
                ResponseEntity.status(e.kind().httpStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.retryAfter() != null) {
            b.header(
                    HttpHeaders.RETRY_AFTER,
                    String.valueOf(Math.max(1, (e.retryAfter().toMillis() + 999) / 1000)));
        }
        if (e.kind() == PublishException.Kind.UNAUTHENTICATED) {
            b.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"eventing-intake\"");
        }
        return b.body(ErrorMapper.toProblem(e));
    }

    /** The publish exception behind an asynchronous failure, or an UNAVAILABLE one for anything else. */
    static PublishException unwrap(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof PublishException p) {
            return p;
        }
        return new PublishException(PublishException.Kind.UNAVAILABLE, "the event could not be written");
    }

    static ProblemDetail problem(PublishException e) {
        return ErrorMapper.toProblem(e);
    }
}
