package com.northwind.eventing.intake.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final RateLimiter limiter = new RateLimiter(new RateLimit(10, 5), now::get);

    @Test
    void anAppGetsItsBurstThenWaitsForTheRefill() {
        App app = app("claims-portal", null);
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.tryAcquire(app)).as("event %d of the burst", i).isNull();
        }

        // At 10 events/s the next token is 100 ms away.
        assertThat(limiter.tryAcquire(app)).isEqualTo(Duration.ofMillis(100));

        advance(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(limiter.tryAcquire(app)).isNull();
        assertThat(limiter.tryAcquire(app)).isNotNull();
    }

    @Test
    void eachAppHasItsOwnBucketAndItsOwnLimit() {
        App busy = app("busy", null);
        App fast = app("fast", new RateLimit(1_000, 100));
        for (int i = 0; i < 5; i++) {
            limiter.tryAcquire(busy);
        }
        assertThat(limiter.tryAcquire(busy)).isNotNull();

        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire(fast))
                    .as("event %d of the app's own burst", i)
                    .isNull();
        }
        assertThat(limiter.tryAcquire(fast)).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void aBucketIdleForTenMinutesIsDroppedAndTheAppStartsAFullOne() {
        // A slow refill: ten idle minutes give back only 60 of the 100 tokens, so only a new bucket is full again.
        App slow = app("slow", new RateLimit(1, 100));
        App other = app("other", null);
        for (int i = 0; i < 100; i++) {
            limiter.tryAcquire(slow);
        }
        assertThat(limiter.tryAcquire(slow)).isNotNull();

        advance(RateLimiter.IDLE_NANOS - 1);
        limiter.tryAcquire(other);
        assertThat(limiter.buckets()).as("not idle long enough yet").isEqualTo(2);

        advance(RateLimiter.SWEEP_NANOS);
        limiter.tryAcquire(other);
        assertThat(limiter.buckets())
                .as("only the app that sent recently keeps its bucket")
                .isEqualTo(1);

        for (int i = 0; i < 100; i++) {
            assertThat(limiter.tryAcquire(slow))
                    .as("event %d of a full burst", i)
                    .isNull();
        }
        assertThat(limiter.tryAcquire(slow)).isNotNull();
    }

    private void advance(long nanos) {
        now.addAndGet(nanos);
    }

    private static App app(String id, RateLimit limit) {
        return new App(id, "claims", List.of("Claim.*.*"), List.of(), List.of(), limit, Instant.EPOCH, Instant.EPOCH);
    }
}
