package com.northwind.eventing.intake.auth;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.RateLimit;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One token bucket per app: it refills at the app's events per second up to its burst; each event takes one token.
 * An app without its own limit gets the configured default. Buckets of apps idle for ten minutes are dropped, so an
 * app that comes back starts with a full burst.
 *
 * <p>Every event passes here, so a bucket is found with one map lookup; the idle ones are swept by whichever call
 * comes first once a minute has passed, instead of a cache recording every access.
 */
public final class RateLimiter {
    /** How long an app's bucket is kept after its last event. */
    static final long IDLE_NANOS = TimeUnit.MINUTES.toNanos(10);
    /** How often idle buckets are looked for. */
    static final long SWEEP_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final RateLimit defaultLimit;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    public RateLimiter(RateLimit defaultLimit, LongSupplier nanoTime) {
        this.defaultLimit = defaultLimit;
        this.nanoTime = nanoTime;
        this.nextSweep = new AtomicLong(nanoTime.getAsLong() + SWEEP_NANOS);
    }

    /**
     * Takes one token for the app.
     *
     * @return null when the event may go, else how long until a token is available
     */
    public Duration tryAcquire(App app) {
        RateLimit limit = app.rateLimit() == null ? defaultLimit : app.rateLimit();
        long now = nanoTime.getAsLong();
        sweepIfDue(now);
        Bucket bucket = buckets.get(app.id());
        if (bucket == null) {
            bucket = buckets.computeIfAbsent(app.id(), id -> new Bucket(limit, now));
        }
        return bucket.take(limit, now);
    }

    /** How many apps have a bucket. */
    int buckets() {
        return buckets.size();
    }

    /**
     * Drops the buckets idle for {@link #IDLE_NANOS}, at most once per {@link #SWEEP_NANOS}. A call that took its
     * bucket just before the sweep dropped it counts against that bucket only: the app's next event starts a full one,
     * as it would after ten idle minutes anyway.
     */
    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due >= 0 && nextSweep.compareAndSet(due, now + SWEEP_NANOS)) {
            buckets.values().removeIf(b -> now - b.lastTake() >= IDLE_NANOS);
        }
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(RateLimit limit, long now) {
            this.tokens = limit.burst();
            this.last = now;
        }

        synchronized long lastTake() {
            return last;
        }

        synchronized Duration take(RateLimit limit, long now) {
            double rate = limit.eventsPerSecond() / 1e9;
            tokens = Math.min(limit.burst(), tokens + (now - last) * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return null;
            }
            long waitNanos = (long) Math.ceil((1 - tokens) / rate);
            return Duration.ofNanos(Math.max(waitNanos, 1_000_000));
        }
    }
}
