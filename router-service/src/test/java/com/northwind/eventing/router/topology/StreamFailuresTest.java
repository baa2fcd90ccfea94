package com.northwind.eventing.router.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamFailuresTest {
    private final StreamFailures failures = new StreamFailures();

    @Test
    void shouldReplaceTheThreadWhenTheFailureMayPass() {
        StreamsException timeout = new StreamsException("sending", new TimeoutException("no answer"));
        StreamsException registryDown = new RoutingProcessor.TaskFailure(
                "cannot write the copy for subscription s to t now",
                new SerializationException("x", new SchemaRegistryException(503, 50003, "unavailable")));

        assertThat(failures.handle(timeout)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(failures.handle(registryDown)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldWaitForAMissingSourceTopicOnlyWhileTheClientIsStarting() {
        AtomicLong now = new AtomicLong(0);
        StreamFailures started = new StreamFailures(now::get);
        StreamsException missing = new StreamsException(
                "assignment", new MissingSourceTopicException("Missing source topics. [eventing.replay]"));

        StreamThreadExceptionResponse atStart = started.handle(missing);
        now.set(java.time.Duration.ofMinutes(3).toNanos());
        StreamThreadExceptionResponse later = started.handle(missing);

        assertThat(atStart).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(later).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStopTheClientWhenARetryWouldFailTheSameWay() {
        StreamsException refused = new StreamsException(
                "Error encountered sending record to topic eventing.sub.s for task 0_1 due to: too large",
                new RecordTooLargeException("too large"));
        StreamsException deleted = new RoutingProcessor.TaskFailure(
                "cannot write the copy for subscription s to eventing.sub.s now",
                new MissingTopicException("topic eventing.sub.s does not exist"));
        StreamsException credentials = new RoutingProcessor.TaskFailure(
                "cannot write the copy for subscription s to eventing.sub.s now",
                new SerializationException("x", new SchemaRegistryException(401, 40101, "unauthorized")));

        assertThat(failures.handle(refused)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(deleted)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(failures.handle(credentials)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldNameTheTopicButQuoteNoOtherMessageWhenReportingTheCauses() {
        StreamsException deleted = new RoutingProcessor.TaskFailure(
                "cannot write the copy for subscription s to eventing.sub.s now",
                new IllegalArgumentException("body value 123-45-6789"));

        String causes = StreamFailures.causes(deleted);

        assertThat(causes).contains("subscription s to eventing.sub.s").doesNotContain("123-45-6789");
    }
}
