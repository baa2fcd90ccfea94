package com.northwind.eventing.intake.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.RateLimit;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One token bucket per app: it refills at the app's events per second up to its burst; each event takes one token.
 * An app without its own limit gets the configured default. Buckets of apps idle for ten minutes are dropped.
 */
public final class RateLimiter {
    private final RateLimit defaultLimit;
    private final LongSupplier nanoTime;
    private final Cache<String, Bucket> buckets =
            Caffeine.newBuilder().expireAfterAccess(10, TimeUnit.MINUTES).build();

    public RateLimiter(RateLimit defaultLimit, LongSupplier nanoTime) {
        this.defaultLimit = defaultLimit;
        this.nanoTime = nanoTime;
    }

    /**
     * Takes one token for the app.
     *
     * @return null when the event may go, else how long until a token is available
     */
    public Duration tryAcquire(App app) {
        RateLimit limit = app.rateLimit() == null ? defaultLimit : app.rateLimit();
        Bucket bucket = buckets.get(app.id(), id -> new Bucket(limit, nanoTime.getAsLong()));
        return bucket.take(limit, nanoTime.getAsLong());
    }

    private static final class Bucket {
        private double tokens;
        private long last;

        Bucket(RateLimit limit, long now) {
            this.tokens = limit.burst();
            this.last = now;
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
