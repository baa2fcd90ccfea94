package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import org.slf4j.Logger;

/** Failures as gRPC errors: the status {@link ErrorMapper} builds, with its details in the trailers. */
final class GrpcErrors {
    /** How long a client should wait before sending again what a stopping intake did not read. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private GrpcErrors() {}

    static StatusRuntimeException toException(PublishException e) {
        return StatusProto.toStatusRuntimeException(ErrorMapper.toStatus(e));
    }

    /** Any failure: a refusal as itself, anything else as INTERNAL with the correlation id of its logged cause. */
    static StatusRuntimeException toException(Throwable failure, Logger log, String where) {
        return StatusProto.toStatusRuntimeException(ErrorMapper.toStatus(failure, log, where));
    }
}
