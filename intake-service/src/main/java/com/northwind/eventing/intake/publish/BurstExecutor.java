package com.northwind.eventing.intake.publish;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in the order given, on a thread of {@code threads}, handing that executor one drain per
 * burst instead of one task each. Kafka's producer calls back once per record, a batch's records one after the other
 * on its single network thread: handing each callback to a thread pool woke a pool thread (a futex call) per record,
 * on the thread that must only move records. Here the first task of a burst starts a drain and the rest are queued
 * for it.
 */
final class BurstExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(BurstExecutor.class);

    private final Executor threads;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    BurstExecutor(Executor threads) {
        this.threads = threads;
    }

    /** @throws java.util.concurrent.RejectedExecutionException when a drain is needed and {@code threads} refuses it */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (draining.compareAndSet(false, true)) {
            start();
        }
    }

    private void start() {
        try {
            threads.execute(this::drain);
        } catch (RuntimeException e) {
            draining.set(false);
            throw e;
        }
    }

    private void drain() {
        try {
            for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("A task failed; the next ones still run", e);
                }
            }
        } finally {
            draining.set(false);
            // A task added after the last poll and before the flag was cleared found a drain running: start another.
            if (!tasks.isEmpty() && draining.compareAndSet(false, true)) {
                start();
            }
        }
    }
}
