package com.northwind.eventing.benchmarks;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Bounds the sends awaiting Kafka's acknowledgement, the same for every benchmark that sends asynchronously, so that
 * none overruns the producer's buffer (the intake's firehose refuses at once when it is full) and the rate measured is
 * the one Kafka sustains. Counts failed sends: a benchmark whose sends fail measures nothing.
 */
final class InFlight implements Callback {
    static final int PERMITS = 10_000;

    private final Semaphore permits = new Semaphore(PERMITS);
    private final AtomicLong failures = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();

    /** Takes a permit before a send; waits while {@link #PERMITS} sends are unacknowledged. */
    void acquire() throws InterruptedException {
        permits.acquire();
    }

    /** Gives the permit of a send back once it completed; {@code error} is null when it succeeded. */
    void done(Throwable error) {
        if (error != null) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, error);
        }
        permits.release();
    }

    @Override
    public void onCompletion(RecordMetadata metadata, Exception error) {
        done(error);
    }

    /** Waits until every send taken so far has completed. */
    void awaitAll(Duration timeout) throws InterruptedException {
        if (!permits.tryAcquire(PERMITS, timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException((PERMITS - permits.availablePermits()) + " sends were still unacknowledged "
                    + timeout.toSeconds() + " s after the last one");
        }
        permits.release(PERMITS);
    }

    long failures() {
        return failures.get();
    }

    /** @throws IllegalStateException when any send failed */
    void check(String what) {
        long failed = failures.get();
        if (failed > 0) {
            throw new IllegalStateException(
                    failed + " sends of " + what + " failed, the first with: " + firstFailure.get(),
                    firstFailure.get());
        }
    }
}
