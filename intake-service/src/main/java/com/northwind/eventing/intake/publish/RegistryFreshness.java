package com.northwind.eventing.intake.publish;

/**
 * Whether the intake's views of the registry (apps and their tokens, event types) are current: read from their topics
 * up to an end offset Kafka gave recently enough. While they are not, a revoked token might still be taken for valid,
 * so nothing is published.
 */
@FunctionalInterface
public interface RegistryFreshness {
    /** For a publish core with views that are not followed from Kafka (tests, benchmarks): always current. */
    RegistryFreshness ALWAYS = nowMillis -> true;

    /** @param nowMillis the time of the request, epoch millis by the system clock */
    boolean isCurrent(long nowMillis);
}
