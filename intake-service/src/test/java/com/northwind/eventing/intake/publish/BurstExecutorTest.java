package com.northwind.eventing.intake.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BurstExecutorTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final AtomicInteger drains = new AtomicInteger();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private BurstExecutor executor() {
        return new BurstExecutor(task -> {
            drains.incrementAndGet();
            pool.execute(task);
        });
    }

    @Test
    void shouldRunABurstInOrderWithOneDrainWhileTheFirstTaskRuns() throws Exception {
        BurstExecutor executor = executor();
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> ran = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1000);

        executor.execute(() -> await(release));
        for (int i = 0; i < 1000; i++) {
            int n = i;
            executor.execute(() -> {
                ran.add(n); // one at a time: no lock needed, as for the firehose's callbacks
                done.countDown();
            });
        }
        release.countDown();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(1000).isSorted();
        assertThat(drains.get()).isEqualTo(1);
    }

    @Test
    void shouldRunEveryTaskAddedFromManyThreadsAndGoOnAfterOneFails() throws Exception {
        BurstExecutor executor = executor();
        AtomicInteger ran = new AtomicInteger();
        int perThread = 20_000;
        CountDownLatch done = new CountDownLatch(4 * perThread);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread producer = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    boolean fail = i % 5000 == 0;
                    executor.execute(() -> {
                        try {
                            if (fail) {
                                throw new IllegalStateException("planted");
                            }
                            ran.incrementAndGet();
                        } finally {
                            done.countDown();
                        }
                    });
                }
            });
            producer.start();
            producers.add(producer);
        }
        for (Thread producer : producers) {
            producer.join();
        }

        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(ran.get()).isEqualTo(4 * (perThread - perThread / 5000));
    }

    @Test
    void shouldRefuseAndStartAgainLaterWhenTheThreadsRefuse() throws Exception {
        AtomicInteger refusals = new AtomicInteger(1);
        BurstExecutor executor = new BurstExecutor(task -> {
            if (refusals.getAndDecrement() > 0) {
                throw new RejectedExecutionException("full");
            }
            pool.execute(task);
        });
        CountDownLatch ran = new CountDownLatch(2);

        assertThatThrownBy(() -> executor.execute(ran::countDown)).isInstanceOf(RejectedExecutionException.class);
        executor.execute(ran::countDown);

        // The refused task stayed queued and runs with the next drain.
        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
