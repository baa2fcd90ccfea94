package com.northwind.eventing.intake.grpc;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The ordering and flow control of one event stream, free of gRPC. Events are added in the order they arrive; their
 * outcomes complete in any order (Kafka acknowledges partitions independently), and each is answered once every
 * event before it has been, so answers go out in arrival order, numbered from 0.
 *
 * <p>Flow control: at most {@code maxInFlight} events are ever unanswered. The acknowledger asks for that many events
 * at the start and for one more only after answering one (in groups of an eighth of {@code maxInFlight}, see
 * {@link #takeOwed}), and only while the outbound side is ready: a client that
 * sends faster than Kafka acknowledges is held back by gRPC's flow control, and one that does not read its answers
 * stops being read from. Neither makes the server buffer without bound.
 *
 * <p>Thread-safe: events arrive on the call's thread, outcomes complete on Kafka's. Answers are given one at a time
 * under the acknowledger's lock, so the sink sees them serialized.
 *
 * @param <T> the outcome of one event
 */
final class OrderedAcknowledger<T> {
    /** Where answers and requests for more events go: the call. */
    interface Sink<T> {
        /** Answers the event with the given sequence: with its value, or with its error when {@code error} is set. */
        void answer(long sequence, T value, Throwable error);

        /** Whether the outbound side can take an answer without buffering. */
        boolean isReady();

        /** Asks the client for {@code count} more events. */
        void request(int count);

        /**
         * Ends the stream once every event read is answered.
         *
         * @param complete true when the client finished sending; false when the stream was stopped before that (the
         *     events the client sent after the last answered one were not read)
         * @param answered how many events were answered
         */
        void close(boolean complete, long answered);
    }

    private static final class Slot<T> {
        final long sequence;
        boolean done;
        T value;
        Throwable error;

        Slot(long sequence) {
            this.sequence = sequence;
        }
    }

    private final int maxInFlight;
    /** How many answered events are asked to be replaced at once, while others are still in flight. */
    private final int requestBatch;

    private final Sink<T> sink;
    private final ArrayDeque<Slot<T>> unanswered = new ArrayDeque<>();
    private long nextSequence;
    private long answered;
    /** Answered events whose replacement has not been requested yet, because the outbound side was not ready. */
    private int owed;

    private boolean halfClosed;
    private boolean stopping;
    private boolean closed;

    OrderedAcknowledger(int maxInFlight, Sink<T> sink) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be 1 or more");
        }
        this.maxInFlight = maxInFlight;
        this.requestBatch = Math.max(1, maxInFlight / 8);
        this.sink = sink;
    }

    /** Asks for the first events. */
    void start() {
        sink.request(maxInFlight);
    }

    /**
     * Takes the next event, in arrival order: {@code publish} is called (on this thread, outside the lock) unless the
     * stream is already closed, and its outcome may already be complete (a refusal) or complete later on any thread.
     *
     * @return false when the stream is closed and the event was not published
     */
    boolean add(Supplier<? extends CompletionStage<? extends T>> publish) {
        Slot<T> slot;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (unanswered.size() >= maxInFlight) {
                // gRPC delivers only what was requested; more means a bug here, not a fast client.
                throw new IllegalStateException("more than " + maxInFlight + " events in flight");
            }
            slot = new Slot<>(nextSequence++);
            unanswered.addLast(slot);
        }
        CompletionStage<? extends T> outcome;
        try {
            outcome = publish.get();
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((value, error) -> complete(slot, value, error));
        return true;
    }

    /** The outbound side became ready: asks for the events owed. */
    void onReady() {
        int more;
        synchronized (this) {
            more = takeOwed();
        }
        request(more);
    }

    /** The client finished sending: the stream completes once every event is answered. */
    void halfClose() {
        synchronized (this) {
            halfClosed = true;
            closeIfDone();
        }
    }

    /**
     * Stops reading: events in flight are still answered, then the stream is closed as incomplete, unless the client
     * finished sending first. For a graceful shutdown.
     */
    void stop() {
        synchronized (this) {
            stopping = true;
            closeIfDone();
        }
    }

    /** The client went away: nothing more is answered. Events already handed to Kafka may still be written. */
    synchronized void cancel() {
        closed = true;
        unanswered.clear();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** How many events were read and not answered yet. */
    synchronized int inFlight() {
        return unanswered.size();
    }

    private void complete(Slot<T> slot, T value, Throwable error) {
        int more;
        synchronized (this) {
            slot.done = true;
            slot.value = value;
            slot.error = error;
            int now = 0;
            while (!closed && !unanswered.isEmpty() && unanswered.peekFirst().done) {
                Slot<T> head = unanswered.pollFirst();
                answered++;
                now++;
                sink.answer(head.sequence, head.value, head.error);
            }
            if (!stopping && !halfClosed) {
                owed += now;
            }
            more = takeOwed();
            closeIfDone();
        }
        request(more);
    }

    /**
     * How many events to ask for now, taking them off {@code owed}: none until an eighth of {@code maxInFlight} is owed
     * while other events are still in flight, so that a stream asks a few times per window rather than once per event
     * (each request is a task on the transport's event loop). When none is in flight every owed event is asked for,
     * so a stream never waits on a request held back. Called under the lock.
     */
    private int takeOwed() {
        if (owed == 0 || closed || stopping || halfClosed || !sink.isReady()) {
            return 0;
        }
        if (owed < requestBatch && !unanswered.isEmpty()) {
            return 0;
        }
        int more = owed;
        owed = 0;
        return more;
    }

    /** Called under the lock. */
    private void closeIfDone() {
        if (!closed && (halfClosed || stopping) && unanswered.isEmpty()) {
            closed = true;
            sink.close(halfClosed, answered);
        }
    }

    private void request(int count) {
        // Outside the lock: a transport may deliver the next event on this very thread.
        if (count > 0) {
            sink.request(count);
        }
    }
}
