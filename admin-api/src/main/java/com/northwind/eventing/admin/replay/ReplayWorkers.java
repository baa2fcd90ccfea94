package com.northwind.eventing.admin.replay;

import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs replays, at most {@code eventing.replay.max-running} at once; the others wait their turn in request order. At
 * start it takes up every replay that is neither cancelled nor finished (its progress decides); at shutdown every
 * worker stops before its next batch.
 */
@Component
class ReplayWorkers implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ReplayWorkers.class);

    private final ReplayContext context;
    private final ReplayViews views;
    private final int maxRunning;
    private final Set<String> taken = ConcurrentHashMap.newKeySet();
    private volatile ThreadPoolExecutor pool;

    ReplayWorkers(ReplayContext context, ReplayViews views, ReplayProperties properties) {
        this.context = context;
        this.views = views;
        this.maxRunning = properties.maxRunning();
    }

    @Override
    public synchronized void start() {
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(
                maxRunning, maxRunning, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "eventing-replay-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        views.replays.values().stream()
                .filter(r -> !r.cancelled())
                .filter(r -> views.progress.get(r.id()).map(p -> !p.finished()).orElse(true))
                .sorted(Comparator.comparing(Replay::requestedAt).thenComparing(Replay::id))
                .forEach(this::submit);
    }

    /** Queues the replay's worker, unless it is queued or running already. */
    void submit(Replay replay) {
        ThreadPoolExecutor p = pool;
        if (p == null || context.stopping() || !taken.add(replay.id())) {
            return;
        }
        p.execute(() -> {
            try {
                new ReplayWorker(replay, context).run();
            } catch (RuntimeException e) {
                log.error("Replay {} worker stopped unexpectedly", replay.id(), e);
            } finally {
                taken.remove(replay.id());
            }
        });
    }

    @Override
    public synchronized void stop() {
        context.stop();
        ThreadPoolExecutor p = pool;
        if (p == null) {
            return;
        }
        p.shutdown();
        try {
            if (!p.awaitTermination(30, TimeUnit.SECONDS)) {
                p.shutdownNow();
            }
        } catch (InterruptedException e) {
            p.shutdownNow();
            Thread.currentThread().interrupt();
        }
        pool = null;
    }

    @Override
    public boolean isRunning() {
        return pool != null;
    }
}
