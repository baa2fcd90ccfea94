package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Refusals as gRPC errors: the status {@link ErrorMapper} builds, with its details in the trailers. */
final class GrpcErrors {
    private static final Logger log = LoggerFactory.getLogger(GrpcErrors.class);

    /** How long a client should wait after a failure of the intake itself. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private GrpcErrors() {}

    static StatusRuntimeException toException(PublishException e) {
        return StatusProto.toStatusRuntimeException(ErrorMapper.toStatus(e));
    }

    /** The publish exception behind an asynchronous failure, or an UNAVAILABLE one for anything else. */
    static PublishException unwrap(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (t instanceof PublishException p) {
            return p;
        }
        log.error("Unexpected failure publishing an event over gRPC", error);
        return unexpected();
    }

    /** What a client gets for a failure of the intake itself: never an INTERNAL, and never its details. */
    static PublishException unexpected() {
        return new PublishException(
                PublishException.Kind.UNAVAILABLE,
                "an unexpected error occurred; it has been logged",
                List.of(),
                RETRY_AFTER);
    }
}
