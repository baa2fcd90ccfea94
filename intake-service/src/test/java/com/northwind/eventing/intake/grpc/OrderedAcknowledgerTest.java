package com.northwind.eventing.intake.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OrderedAcknowledgerTest {
    /** Records what the acknowledger does to its call. */
    private static final class RecordingSink implements OrderedAcknowledger.Sink<String> {
        final List<String> answers = new ArrayList<>();
        final List<Integer> requests = new ArrayList<>();
        boolean ready = true;
        String closed;

        @Override
        public synchronized void answer(long sequence, String value, Throwable error) {
            answers.add(sequence + ":" + (error == null ? value : "error " + error.getMessage()));
        }

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public synchronized void request(int count) {
            requests.add(count);
        }

        @Override
        public void close(boolean complete, long answered) {
            closed = (complete ? "complete" : "stopped") + " after " + answered;
        }

        synchronized int requested() {
            return requests.stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final RecordingSink sink = new RecordingSink();

    @Test
    void shouldAnswerInArrivalOrderWhenOutcomesCompleteOutOfOrder() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(10, sink);
        List<CompletableFuture<String>> outcomes = futures(4);
        outcomes.forEach(f -> acknowledger.add(() -> f));

        outcomes.get(2).complete("c");
        outcomes.get(1).complete("b");
        List<String> beforeFirst = List.copyOf(sink.answers);
        outcomes.get(0).complete("a");
        outcomes.get(3).complete("d");

        assertThat(beforeFirst).isEmpty();
        assertThat(sink.answers).containsExactly("0:a", "1:b", "2:c", "3:d");
    }

    @Test
    void shouldAnswerARefusalInItsPlaceAndGoOnWhenOneEventFails() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(10, sink);
        CompletableFuture<String> first = new CompletableFuture<>();
        CompletableFuture<String> third = new CompletableFuture<>();

        acknowledger.add(() -> first);
        acknowledger.add(() -> CompletableFuture.failedFuture(new IllegalStateException("refused")));
        acknowledger.add(() -> third);
        acknowledger.add(() -> {
            throw new IllegalArgumentException("thrown");
        });
        third.complete("c");
        first.complete("a");

        assertThat(sink.answers).containsExactly("0:a", "1:error refused", "2:c", "3:error thrown");
    }

    @Test
    void shouldRequestMaxInFlightAtStartAndOneMoreOnlyPerAnswer() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(3, sink);
        List<CompletableFuture<String>> outcomes = futures(3);

        acknowledger.start();
        outcomes.forEach(f -> acknowledger.add(() -> f));
        outcomes.get(2).complete("c");
        outcomes.get(1).complete("b");
        int whileHeadPending = sink.requested();
        outcomes.get(0).complete("a");

        assertThat(whileHeadPending).isEqualTo(3);
        assertThat(sink.requests).containsExactly(3, 3);
        assertThat(acknowledger.inFlight()).isZero();
    }

    @Test
    void shouldRequestInGroupsOfAnEighthWhileEventsAreInFlightAndTheRestWhenNoneIs() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(16, sink);
        List<CompletableFuture<String>> outcomes = futures(5);

        acknowledger.start();
        outcomes.forEach(f -> acknowledger.add(() -> f));
        outcomes.get(0).complete("a");
        List<Integer> afterOne = List.copyOf(sink.requests);
        outcomes.get(1).complete("b");
        List<Integer> afterTwo = List.copyOf(sink.requests);
        outcomes.get(2).complete("c");
        outcomes.get(3).complete("d");
        outcomes.get(4).complete("e");

        // An eighth of 16 is 2: one answer asks for nothing yet, the second asks for both.
        assertThat(afterOne).containsExactly(16);
        assertThat(afterTwo).containsExactly(16, 2);
        // The fifth answer leaves nothing in flight, so the one owed is asked for at once.
        assertThat(sink.requests).containsExactly(16, 2, 2, 1);
        assertThat(sink.requested()).isEqualTo(16 + 5);
    }

    @Test
    void shouldRefuseMoreEventsThanRequestedWhenTheTransportMisbehaves() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(2, sink);
        acknowledger.add(CompletableFuture::new);
        acknowledger.add(CompletableFuture::new);

        assertThatThrownBy(() -> acknowledger.add(CompletableFuture::new)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldHoldRequestsUntilReadyWhenTheClientDoesNotReadAnswers() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(2, sink);
        acknowledger.start();
        sink.ready = false;

        acknowledger.add(() -> CompletableFuture.completedFuture("a"));
        acknowledger.add(() -> CompletableFuture.completedFuture("b"));
        List<Integer> whileNotReady = List.copyOf(sink.requests);
        sink.ready = true;
        acknowledger.onReady();

        assertThat(whileNotReady).containsExactly(2);
        assertThat(sink.requests).containsExactly(2, 2);
    }

    @Test
    void shouldCompleteOnlyOnceEveryEventIsAnsweredWhenTheClientHalfCloses() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(10, sink);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        acknowledger.add(() -> outcome);

        acknowledger.halfClose();
        String beforeAnswer = sink.closed;
        outcome.complete("a");

        assertThat(beforeAnswer).isNull();
        assertThat(sink.closed).isEqualTo("complete after 1");
    }

    @Test
    void shouldAnswerWhatWasReadThenEndIncompleteWhenStopped() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(10, sink);
        acknowledger.start();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        acknowledger.add(() -> CompletableFuture.completedFuture("a"));
        acknowledger.add(() -> outcome);

        acknowledger.stop();
        outcome.complete("b");
        boolean publishedAfterClose = acknowledger.add(() -> {
            throw new AssertionError("an event after the stream ended must not be published");
        });

        assertThat(sink.answers).containsExactly("0:a", "1:b");
        assertThat(sink.closed).isEqualTo("stopped after 2");
        assertThat(sink.requests).containsExactly(10, 1);
        assertThat(publishedAfterClose).isFalse();
    }

    @Test
    void shouldAnswerNothingMoreWhenTheClientCancelled() {
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(10, sink);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        acknowledger.add(() -> outcome);

        acknowledger.cancel();
        outcome.complete("a");

        assertThat(sink.answers).isEmpty();
        assertThat(sink.closed).isNull();
    }

    @Test
    void shouldAnswerEveryEventOnceInOrderWhenOutcomesCompleteOnManyThreads() throws Exception {
        int events = 20_000;
        OrderedAcknowledger<String> acknowledger = new OrderedAcknowledger<>(events, sink);
        List<CompletableFuture<String>> outcomes = futures(events);
        outcomes.forEach(f -> acknowledger.add(() -> f));
        ExecutorService pool = Executors.newFixedThreadPool(4);

        for (int t = 0; t < 4; t++) {
            int start = t;
            pool.execute(() -> {
                for (int i = events - 1 - start; i >= 0; i -= 4) {
                    outcomes.get(i).complete("e" + i);
                }
            });
        }
        pool.shutdown();
        assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        acknowledger.halfClose();

        assertThat(sink.answers).hasSize(events);
        for (int i = 0; i < events; i++) {
            assertThat(sink.answers.get(i)).isEqualTo(i + ":e" + i);
        }
        assertThat(sink.closed).isEqualTo("complete after 20000");
    }

    private static List<CompletableFuture<String>> futures(int n) {
        List<CompletableFuture<String>> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new CompletableFuture<>());
        }
        return list;
    }
}
