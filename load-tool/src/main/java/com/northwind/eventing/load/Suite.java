package com.northwind.eventing.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code --mode=suite}: the intake's figures as the README reports them, in one command. {@code --rounds} (default 2)
 * rounds of the same sequence (Kafka's ProducerPerformance, REST single, REST batch, gRPC stream, ProducerPerformance
 * again): all but the last bring both JVMs, the platform's and this one, towards steady state and are not counted;
 * the last is printed as a table, each mode beside the mean of the raw producer runs right before and right after it.
 * A freshly started platform JVM (broker, registry, admin, intake in one) is still compiling after two rounds; four
 * bring it to where its JIT is nearly idle.
 */
final class Suite {
    private Suite() {}

    /** One measured mode. */
    private record Row(String mode, double perSecond, double p50, double p99, double p999, long failed) {}

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
            double before = LoadMain.baseline(o, events, events / 2, 0);
            List<Row> rows = new ArrayList<>();
            // REST single is the slowest mode by far: a quarter of the events keeps its run as long as the others.
            rows.add(measure("rest", o, token, connections, batchSize, events / 4, bodyBytes));
            rows.add(measure("rest-batch", o, token, batchConnections, batchSize, events, bodyBytes));
            o.put("streams", String.valueOf(streams));
            rows.add(measure("grpc-stream", o, token, connections, batchSize, events, bodyBytes));
            double after = LoadMain.baseline(o, events, events / 2, 0);
            if (counted) {
                print(before, after, rows, connections, batchConnections, batchSize, streams, bodyBytes);
            }
        }
    }

    private static Row measure(
            String mode, Map<String, String> o, String token, int connections, int batchSize, int events, int bodyBytes)
            throws InterruptedException {
        LoadMain.Run run = new LoadMain.Run(events, 0, bodyBytes);
        long start = System.nanoTime();
        LoadMain.drive(mode, o, token, connections, batchSize, run);
        long elapsed = System.nanoTime() - start;
        run.report(mode, elapsed);
        return new Row(
                mode,
                (run.ok.get() + run.failed.get()) / (elapsed / 1e9),
                run.latencies.percentile(50) / 1e6,
                run.latencies.percentile(99) / 1e6,
                run.latencies.percentile(99.9) / 1e6,
                run.failed.get());
    }

    private static void print(
            double before,
            double after,
            List<Row> rows,
            int connections,
            int batchConnections,
            int batchSize,
            int streams,
            int bodyBytes) {
        double raw = (before + after) / 2;
        System.out.println();
        System.out.printf(
                "Kafka ProducerPerformance (acks=all, idempotent, lz4, linger 5 ms, 450-byte records): %.0f records/s"
                        + " before, %.0f after; mean %.0f%n",
                before, after, raw);
        System.out.printf(
                "%-52s %10s %6s %8s %8s %9s %7s%n",
                "mode", "events/s", "ratio", "p50 ms", "p99 ms", "p99.9 ms", "failed");
        for (Row r : rows) {
            String label = switch (r.mode()) {
                case "rest" -> "REST single, " + connections + " connections";
                case "rest-batch" -> "REST batch of " + batchSize + ", " + batchConnections + " connections";
                default -> "gRPC stream, " + streams + " streams";
            };
            System.out.printf(
                    "%-52s %10.0f %6.2f %8.1f %8.1f %9.1f %7d%n",
                    label + " (" + bodyBytes + "-byte bodies)",
                    r.perSecond(),
                    r.perSecond() / raw,
                    r.p50(),
                    r.p99(),
                    r.p999(),
                    r.failed());
        }
    }
}
