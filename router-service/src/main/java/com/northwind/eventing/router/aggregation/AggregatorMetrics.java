package com.northwind.eventing.router.aggregation;

/** What the aggregator counts; {@link #NONE} counts nothing. Called on stream threads. */
public interface AggregatorMetrics {
    AggregatorMetrics NONE = new AggregatorMetrics() {
        @Override
        public void emitted(String rule, String kind) {}

        @Override
        public void skipped(String rule, String reason) {}

        @Override
        public void deadLettered(String rule) {}

        @Override
        public void openKeys(String rule, long delta) {}
    };

    /** One output written to the firehose; {@code kind} is the rule's kind, or {@code breach}. */
    void emitted(String rule, String kind);

    /** An input not taken: {@code no-key} (no value at the key), or {@code late} (its sla window had closed). */
    void skipped(String rule, String reason);

    /** An output dead-lettered instead of written. */
    void deadLettered(String rule);

    /** A rule's open keys grew or shrank by {@code delta}. */
    void openKeys(String rule, long delta);
}
