package com.northwind.eventing.intake.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class GrpcErrorsTest {
    @Test
    void shouldMapEachKindToItsCode() {
        assertThat(code(PublishException.Kind.MALFORMED)).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(PublishException.Kind.INVALID)).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(PublishException.Kind.UNKNOWN_EVENT_TYPE)).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(PublishException.Kind.UNSUPPORTED_MEDIA_TYPE)).isEqualTo(Code.INVALID_ARGUMENT);
        assertThat(code(PublishException.Kind.UNAUTHENTICATED)).isEqualTo(Code.UNAUTHENTICATED);
        assertThat(code(PublishException.Kind.FORBIDDEN)).isEqualTo(Code.PERMISSION_DENIED);
        assertThat(code(PublishException.Kind.TOO_LARGE)).isEqualTo(Code.RESOURCE_EXHAUSTED);
        assertThat(code(PublishException.Kind.RATE_LIMITED)).isEqualTo(Code.RESOURCE_EXHAUSTED);
        assertThat(code(PublishException.Kind.UNAVAILABLE)).isEqualTo(Code.UNAVAILABLE);
    }

    @Test
    void shouldCarryErrorInfoAndEveryPointerWhenInvalid() throws Exception {
        PublishException e = PublishException.invalid(List.of(
                new Violation("/body/amount", "must be at least 0"),
                new Violation("/metadata/transactionId", "transactionId is required")));

        com.google.rpc.Status status = ErrorMapper.toStatus(e);

        assertThat(status.getCode()).isEqualTo(Code.INVALID_ARGUMENT_VALUE);
        assertThat(status.getMessage()).isEqualTo("the event has 2 errors; see errors");
        assertThat(status.getDetailsCount()).isEqualTo(2);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("validation");
        assertThat(info.getDomain()).isEqualTo("eventing.northwind.com");
        assertThat(info.getMetadataMap()).isEmpty();
        BadRequest bad = status.getDetails(1).unpack(BadRequest.class);
        assertThat(bad.getFieldViolationsList())
                .extracting(BadRequest.FieldViolation::getField, BadRequest.FieldViolation::getDescription)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/body/amount", "must be at least 0"),
                        org.assertj.core.groups.Tuple.tuple("/metadata/transactionId", "transactionId is required"));
    }

    @Test
    void shouldCarryRetryInfoWhenRateLimited() throws Exception {
        PublishException e = new PublishException(
                PublishException.Kind.RATE_LIMITED, "over the limit", List.of(), Duration.ofMillis(1500));

        com.google.rpc.Status status = ErrorMapper.toStatus(e);

        assertThat(status.getCode()).isEqualTo(Code.RESOURCE_EXHAUSTED_VALUE);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("rate-limited");
        assertThat(info.getMetadataMap()).containsEntry("retryAfterMillis", "1500");
        RetryInfo retry = status.getDetails(1).unpack(RetryInfo.class);
        assertThat(retry.getRetryDelay().getSeconds()).isEqualTo(1);
        assertThat(retry.getRetryDelay().getNanos()).isEqualTo(500_000_000);
    }

    @Test
    void shouldPutTheStatusWithItsDetailsInTheTrailers() {
        StatusRuntimeException e = GrpcErrors.toException(
                new PublishException(PublishException.Kind.FORBIDDEN, "app a may not publish Claim.Submitted.X"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(e.getStatus().getDescription()).isEqualTo("app a may not publish Claim.Submitted.X");
        assertThat(StatusProto.fromThrowable(e).getDetailsCount()).isEqualTo(1);
    }

    @Test
    void shouldAnswerInternalWithOnlyACorrelationIdWhenTheFailureIsUnexpected() throws Exception {
        StatusRuntimeException e = GrpcErrors.toException(
                new CompletionException(new NullPointerException("secret")),
                LoggerFactory.getLogger(GrpcErrorsTest.class),
                "testing");

        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        assertThat(status.getMessage()).doesNotContain("secret");
        assertThat(status.getDetailsCount()).isEqualTo(1);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("internal");
        assertThat(info.getMetadataMap().get("correlationId")).hasSize(36);
        assertThat(status.getMessage()).endsWith(info.getMetadataMap().get("correlationId"));
    }

    private static Code code(PublishException.Kind kind) {
        return Code.forNumber(
                ErrorMapper.toStatus(new PublishException(kind, "x")).getCode());
    }
}
