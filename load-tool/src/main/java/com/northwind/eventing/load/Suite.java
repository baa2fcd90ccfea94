package com.northwind.eventing.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode=suite}: the intake's figures as docs/performance.md reports them, in one command. {@code --rounds} (default 2)
 * rounds of the same sequence (Kafka's ProducerPerformance, REST single, ProducerPerformance, REST batch,
 * ProducerPerformance, gRPC stream, ProducerPerformance): all but the last bring both JVMs, the platform's and this
 * one, towards steady state and are not counted; the last is printed as a table, each mode beside the mean of the raw
 * producer runs right before and right after it. The machine's speed drifts within a minute, so each mode has its own
 * baseline runs next to it rather than one pair for the round.
 * A freshly started platform JVM (broker, registry, admin, intake in one) is still compiling after two rounds; four
 * bring it to where its JIT is nearly idle.
 */
final class Suite {
    private Suite() {}

    /** One measured mode. */
    private record Row(
            String mode,
            double perSecond,
            double p50,
            double p99,
            double p999,
            long failed,
            double before,
            double after) {
        double raw() {
            return (before + after) / 2;
        }
    }

    static void run(Map<String, String> o) throws Exception {
        int events = Integer.parseInt(o.getOrDefault("events", "600000"));
        int bodyBytes = Integer.parseInt(o.getOrDefault("body-bytes", "300"));
        int connections = Integer.parseInt(o.getOrDefault("concurrency", "256"));
        int batchConnections = Integer.parseInt(o.getOrDefault("batch-concurrency", "16"));
        int batchSize = Integer.parseInt(o.getOrDefault("batch-size", "100"));
        int streams = Integer.parseInt(o.getOrDefault("streams", "8"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "2"));
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be 1 or more");
        }
        String token = o.containsKey("token") ? o.get("token") : LoadMain.setUp(o);
        for (int round = 1; round <= rounds; round++) {
            boolean counted = round == rounds;
            System.out.println(
                    counted
                            ? "== measured round"
                            : "== warm-up round " + round + " of " + (rounds - 1)
                                    + ", not counted: brings the platform's JVM and this one towards steady state");
            o.put("streams", String.valueOf(streams));
            List<Row> rows = new ArrayList<>();
            double before = LoadMain.baseline(o, events, events / 2, 0);
            for (Step step : List.of(
                    // REST single is the slowest mode by far: a quarter of the events keeps its run as long as the
                    // others.
                    new Step("rest", connections, events / 4),
                    new Step("rest-batch", batchConnections, events),
                    new Step("grpc-stream", connections, events))) {
                Row row = measure(step, o, token, batchSize, bodyBytes, events, before);
                rows.add(row);
                before = row.after();
            }
            if (counted) {
                print(rows, connections, batchConnections, batchSize, streams, bodyBytes);
            }
        }
    }

    /** One mode of a round: over how many connections (or streams) it sends how many events. */
    private record Step(String mode, int connections, int events) {}

    /**
     * Runs one mode, then the raw producer again with {@code baselineEvents}: {@code before} is the baseline run right
     * before it.
     */
    private static Row measure(
            Step step,
            Map<String, String> o,
            String token,
            int batchSize,
            int bodyBytes,
            int baselineEvents,
            double before)
            throws Exception {
        LoadMain.Run run = new LoadMain.Run(step.events(), 0, bodyBytes);
        long start = System.nanoTime();
        LoadMain.drive(step.mode(), o, token, step.connections(), batchSize, run);
        long elapsed = System.nanoTime() - start;
        run.report(step.mode(), elapsed);
        double after = LoadMain.baseline(o, baselineEvents, baselineEvents / 2, 0);
        return new Row(
                step.mode(),
                (run.ok.get() + run.failed.get()) / (elapsed / 1e9),
                run.latencies.percentile(50) / 1e6,
                run.latencies.percentile(99) / 1e6,
                run.latencies.percentile(99.9) / 1e6,
                run.failed.get(),
                before,
                after);
    }

    private static void print(
            List<Row> rows, int connections, int batchConnections, int batchSize, int streams, int bodyBytes) {
        System.out.println();
        System.out.println(
                "Each mode beside Kafka's ProducerPerformance (acks=all, idempotent, lz4, linger 5 ms, 450-byte"
                        + " records) run right before and right after it; ratio = events/s / the mean of the two");
        System.out.printf(
                "%-52s %10s %6s %8s %8s %9s %7s %17s%n",
                "mode", "events/s", "ratio", "p50 ms", "p99 ms", "p99.9 ms", "failed", "raw before/after");
        for (Row r : rows) {
            String label = switch (r.mode()) {
                case "rest" -> "REST single, " + connections + " connections";
                case "rest-batch" -> "REST batch of " + batchSize + ", " + batchConnections + " connections";
                default -> "gRPC stream, " + streams + " streams";
            };
            System.out.printf(
                    "%-52s %10.0f %6.2f %8.1f %8.1f %9.1f %7d %8.0f/%.0f%n",
                    label + " (" + bodyBytes + "-byte bodies)",
                    r.perSecond(),
                    r.perSecond() / r.raw(),
                    r.p50(),
                    r.p99(),
                    r.p999(),
                    r.failed(),
                    r.before(),
                    r.after());
        }
    }
}
