package com.northwind.eventing.load;

import com.northwind.eventing.common.kafka.NativeLz4;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * The load tool: publishes N events to the intake, flat-out or at a given rate, and prints events/s and latency
 * percentiles. Modes: {@code rest} (one event per request), {@code rest-batch}, {@code grpc-stream}, and
 * {@code kafka} (Kafka's own ProducerPerformance against the same broker, as the baseline). {@code suite} runs the
 * baseline and the three intake modes {@code --rounds} times (default 2), all but the last as a warm-up, and prints
 * the table docs/performance.md reports ({@link Suite}). {@code router} measures the router topology beside a plain copy of the same topic
 * ({@link RouterBench}). {@code store-ingest} publishes at a rate and follows the event store's lag behind the
 * firehose ({@link StoreIngest}); {@code store-query} seeds the store and times its transaction lookup and first page
 * of a search ({@link StoreQuery}). {@code latency} measures how long an event takes from the intake's receipt to a
 * consumer of a subscription topic ({@link LatencyBench}). {@code aggregator} measures the aggregator with 10 rules over
 * many open keys beside the router over the same events ({@link AggregatorBench}). {@code --help} lists the modes'
 * options.
 *
 * <pre>
 * java -jar load-tool/target/eventing-load.jar --mode=rest --events=100000 [--rate=5000] [--concurrency=32]
 *      [--batch-size=100] [--streams=4] [--body-bytes=300] [--warmup=0] [--intake=http://127.0.0.1:8080]
 *      [--grpc=127.0.0.1:9090]
 *      [--admin=http://127.0.0.1:8081] [--admin-token=...] [--bootstrap=127.0.0.1:9092]
 * </pre>
 */
public final class LoadMain {
    static final String TYPE =
            "{\"noun\": \"Load\", \"verb\": \"Tested\", \"object\": \"Event\", \"owner\": \"load-tool\","
                    + " \"description\": \"Events the load tool publishes\","
                    + " \"schema\": {\"type\": \"object\", \"required\": [\"id\", \"payload\"],"
                    + " \"properties\": {\"id\": {\"type\": \"integer\"}, \"payload\": {\"type\": \"string\"}}}}";

    static final String USAGE = String.join(
            System.lineSeparator(),
            "java -jar load-tool/target/eventing-load.jar --mode=<mode> [--name=value ...]; modes:",
            "  --mode=rest|rest-batch|grpc-stream [--events=100000] [--rate=0] [--concurrency=32] [--batch-size=100]"
                    + " [--streams=4] [--body-bytes=300] [--warmup=0]",
            "  --mode=kafka [--events=100000] [--warmup=0] [--record-bytes=450]",
            "  --mode=suite [--rounds=2] [--events=600000]",
            "  --mode=router [--events=200000] [--warmup=1] [--trials=3] [--subscriptions=0 --matching=10]"
                    + " [--ledger=on|off|both] [--commit-intervals=20,50,100] [--stream-threads=N]",
            "  " + AggregatorBench.USAGE,
            "  --mode=latency, --mode=store-ingest, --mode=store-query: see docs/performance.md",
            "every mode: [--bootstrap=127.0.0.1:9092] [--admin=http://127.0.0.1:8081] [--admin-token=...]"
                    + " [--data-dir=data] (reads <data-dir>/admin-token)");

    /** How ProducerPerformance reports its rate. */
    private static final java.util.regex.Pattern RECORDS_PER_SECOND =
            java.util.regex.Pattern.compile("([0-9.]+) records/sec");

    private LoadMain() {}

    public static void main(String[] args) throws Exception {
        // The baseline and the benchmarks compress lz4 as the platform does: natively, not in lz4-java's Java
        // fallback, which is what a Spring Boot jar such as this one gets otherwise.
        NativeLz4.load();
        if (List.of(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        Map<String, String> o = options(args);
        String mode = o.getOrDefault("mode", "rest");
        int events = Integer.parseInt(o.getOrDefault("events", "100000"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "0"));
        int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "32"));
        int batchSize = Integer.parseInt(o.getOrDefault("batch-size", "100"));
        int bodyBytes = Integer.parseInt(o.getOrDefault("body-bytes", "300"));
        String bootstrap = o.getOrDefault("bootstrap", "127.0.0.1:9092");
        if (mode.equals("kafka")) {
            baseline(o, events, Integer.parseInt(o.getOrDefault("warmup", "0")), rate);
            return;
        }
        if (mode.equals("suite")) {
            Suite.run(o);
            return;
        }
        if (mode.equals("router")) {
            new RouterBench(o).run();
            return;
        }
        if (mode.equals("aggregator")) {
            AggregatorBench.Options options;
            try {
                options = AggregatorBench.Options.of(o);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                System.err.println("usage: " + AggregatorBench.USAGE);
                System.exit(2);
                return;
            }
            String admin = o.getOrDefault("admin", "http://127.0.0.1:8081");
            SchemaRegistryClient registry = new LookupFirstRegistry(
                    new RestSchemaRegistryClient(o.getOrDefault("schema-registry", admin), "Bearer " + adminToken(o)));
            new AggregatorBench(options, registry, System.out).run();
            return;
        }
        if (mode.equals("store-ingest")) {
            new StoreIngest(StoreIngest.Options.of(o), o).run();
            return;
        }
        if (mode.equals("latency")) {
            new LatencyBench(LatencyBench.Options.of(o), LoadMain.adminToken(o)).run();
            return;
        }
        if (mode.equals("store-query")) {
            new StoreQuery(StoreQuery.Options.of(o), LoadMain.adminToken(o)).run();
            return;
        }
        String token = o.containsKey("token") ? o.get("token") : setUp(o);
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "0"));
        if (warmup > 0) {
            // Not measured: lets both JVMs compile the paths before the run that counts, as JMH's warm-up does.
            Run w = new Run(warmup, rate, bodyBytes);
            drive(mode, o, token, concurrency, batchSize, w);
            System.out.printf("warm-up: %d events, %d failed%n", w.ok.get() + w.failed.get(), w.failed.get());
        }
        Run run = new Run(events, rate, bodyBytes);
        long start = System.nanoTime();
        drive(mode, o, token, concurrency, batchSize, run);
        run.report(mode, System.nanoTime() - start);
    }

    /**
     * Runs Kafka's own ProducerPerformance against the broker, records the size of an envelope of the load's body,
     * and answers its records/s (after its warm-up records, when there are any).
     */
    static double baseline(Map<String, String> o, int events, int warmup, int rate) throws Exception {
        String bootstrap = o.getOrDefault("bootstrap", "127.0.0.1:9092");
        String topic = o.getOrDefault("topic", "load.baseline");
        try (org.apache.kafka.clients.admin.Admin admin =
                org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            // Same shape as the firehose: 6 partitions. An existing topic is fine.
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 6, (short) 1)))
                    .all()
                    .get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                throw e;
            }
        }
        // Its report goes to stdout; it is read back from there for the rate, and still printed.
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream copy = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(
                new java.io.OutputStream() {
                    @Override
                    public void write(int b) {
                        out.write(b);
                        copy.write(b);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) {
                        out.write(b, off, len);
                        copy.write(b, off, len);
                    }
                },
                true,
                java.nio.charset.StandardCharsets.UTF_8));
        try {
            ProducerPerformance.main(new String[] {
                "--warmup-records",
                String.valueOf(warmup),
                "--topic",
                topic,
                "--num-records",
                String.valueOf(events + warmup),
                "--record-size",
                String.valueOf(Integer.parseInt(o.getOrDefault("record-bytes", "450"))),
                "--throughput",
                rate == 0 ? "-1" : String.valueOf(rate),
                "--producer-props",
                "bootstrap.servers=" + bootstrap,
                "acks=all",
                "enable.idempotence=true",
                "linger.ms=5",
                "batch.size=131072",
                "compression.type=lz4"
            });
        } finally {
            System.out.flush();
            System.setOut(out);
        }
        double recordsPerSecond = -1;
        for (String line :
                copy.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n")) {
            java.util.regex.Matcher m = RECORDS_PER_SECOND.matcher(line);
            if (m.find() && (warmup == 0 || line.contains("steady state"))) {
                recordsPerSecond = Double.parseDouble(m.group(1));
            }
        }
        return recordsPerSecond;
    }

    static void drive(String mode, Map<String, String> o, String token, int concurrency, int batchSize, Run run)
            throws InterruptedException {
        switch (mode) {
            case "rest" ->
                new RestLoad(o.getOrDefault("intake", "http://127.0.0.1:8080"), token, concurrency).single(run);
            case "rest-batch" ->
                new RestLoad(o.getOrDefault("intake", "http://127.0.0.1:8080"), token, concurrency)
                        .batch(run, batchSize);
            case "grpc-stream" ->
                GrpcLoad.stream(
                        o.getOrDefault("grpc", "127.0.0.1:9090"),
                        token,
                        run,
                        Integer.parseInt(o.getOrDefault("streams", "4")));
            default ->
                throw new IllegalArgumentException("unknown --mode " + mode
                        + ": rest, rest-batch, grpc-stream, kafka, suite, router, aggregator, store-ingest,"
                        + " store-query or latency (--help lists their options)");
        }
    }

    /** Registers the load event type and a fresh app through admin-api; returns the app's token. */
    static String setUp(Map<String, String> o) throws IOException, InterruptedException {
        String admin = o.getOrDefault("admin", "http://127.0.0.1:8081");
        String adminToken = adminToken(o);
        HttpClient http = HttpClient.newHttpClient();
        post(http, admin + "/v1/event-types", adminToken, TYPE);
        String app = "{\"id\": \"load-" + UUID.randomUUID().toString().substring(0, 8) + "\", \"team\": \"load\","
                + " \"publish\": [\"Load.*.*\"], \"rateLimit\": {\"eventsPerSecond\": 1000000, \"burst\": 1000000}}";
        String body = post(http, admin + "/v1/apps", adminToken, app).body();
        return body.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
    }

    /** The admin token: {@code --admin-token}, else {@code EVENTING_ADMIN_TOKEN}, else {@code <data-dir>/admin-token}. */
    static String adminToken(Map<String, String> o) throws IOException {
        String adminToken = o.get("admin-token");
        if (adminToken == null) {
            adminToken = System.getenv("EVENTING_ADMIN_TOKEN");
        }
        if (adminToken == null) {
            java.nio.file.Path file = java.nio.file.Path.of(o.getOrDefault("data-dir", "data"), "admin-token");
            adminToken = java.nio.file.Files.readString(file).trim();
        }
        return adminToken;
    }

    private static HttpResponse<String> post(HttpClient http, String url, String token, String json)
            throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (!a.startsWith("--") || eq < 0) {
                throw new IllegalArgumentException("options are --name=value, not " + a);
            }
            o.put(a.substring(2, eq), a.substring(eq + 1));
        }
        return o;
    }

    /** One run: the events to send, their pacing, and what came back. */
    static final class Run {
        final int events;
        final int rate;
        final String payload;
        final Latencies latencies;
        final AtomicLong ok = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final Map<String, AtomicLong> failures = new java.util.concurrent.ConcurrentHashMap<>();
        private final long start = System.nanoTime();

        Run(int events, int rate, int bodyBytes) {
            this.events = events;
            this.rate = rate;
            this.latencies = new Latencies(events);
            this.payload = "x".repeat(Math.max(1, bodyBytes - 30));
        }

        String event(long id) {
            return "{\"noun\": \"Load\", \"verb\": \"Tested\", \"object\": \"Event\","
                    + " \"metadata\": {\"transactionId\": \"load-" + id + "\"}, \"body\": " + body(id) + "}";
        }

        /** The event body: about the requested number of bytes. */
        String body(long id) {
            return bodyBeforeId() + id + bodyAfterId();
        }

        /** What comes before the event's id in {@link #body}. */
        String bodyBeforeId() {
            return "{\"id\": ";
        }

        /** What comes after the event's id in {@link #body}. */
        String bodyAfterId() {
            return ", \"payload\": \"" + payload + "\"}";
        }

        /**
         * When event {@code i} is due: now when flat-out, else on the schedule, so that latency counts from when the
         * event should have gone, not from when a busy client got round to it.
         */
        long due(long i) {
            if (rate <= 0) {
                return System.nanoTime();
            }
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            return due;
        }

        void done(long dueNanos, boolean success, String why) {
            latencies.record(System.nanoTime() - dueNanos);
            if (success) {
                ok.incrementAndGet();
            } else {
                failed.incrementAndGet();
                failures.computeIfAbsent(why, k -> new AtomicLong()).incrementAndGet();
            }
        }

        void report(String mode, long elapsedNanos) {
            double seconds = elapsedNanos / 1e9;
            System.out.printf(
                    "%s: %d events in %.2f s = %.0f events/s; %d failed%n",
                    mode, ok.get() + failed.get(), seconds, (ok.get() + failed.get()) / seconds, failed.get());
            System.out.printf(
                    "latency ms: p50 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
                    latencies.percentile(50) / 1e6,
                    latencies.percentile(99) / 1e6,
                    latencies.percentile(99.9) / 1e6,
                    latencies.percentile(100) / 1e6);
            failures.forEach((why, n) -> System.out.printf("  %d x %s%n", n.get(), why));
        }
    }

    /** REST over plain keep-alive connections, one thread per connection. */
    static final class RestLoad {
        private final URI single;
        private final URI batch;
        private final String token;
        private final int connections;

        RestLoad(String intake, String token, int connections) {
            this.single = URI.create(intake + "/v1/events");
            this.batch = URI.create(intake + "/v1/events/batch");
            this.token = token;
            this.connections = connections;
        }

        void single(Run run) throws InterruptedException {
            AtomicLong next = new AtomicLong();
            drive(
                    single,
                    () -> {
                        long i = next.getAndIncrement();
                        return i < run.events ? new long[] {i, 1} : null;
                    },
                    run,
                    (r, n) -> r.status() == 202 ? n : 0);
        }

        void batch(Run run, int size) throws InterruptedException {
            AtomicLong next = new AtomicLong();
            drive(
                    batch,
                    () -> {
                        long i = next.getAndAdd(size);
                        return i < run.events ? new long[] {i, Math.min(size, run.events - i)} : null;
                    },
                    run,
                    (r, n) -> r.status() == 200 ? n - count(r.body(), "\"error\"") : 0);
        }

        /** Each connection takes the next slice of events, sends it when due, and records the outcome. */
        private void drive(
                URI uri,
                java.util.function.Supplier<long[]> slices,
                Run run,
                java.util.function.ToIntBiFunction<RawHttp.Response, Integer> succeeded)
                throws InterruptedException {
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                Thread t = new Thread(
                        () -> {
                            try (RawHttp http = new RawHttp(uri, token)) {
                                for (long[] slice = slices.get(); slice != null; slice = slices.get()) {
                                    int n = (int) slice[1];
                                    long due = run.due(slice[0]);
                                    String body =
                                            n == 1 && uri == single ? run.event(slice[0]) : batchBody(run, slice[0], n);
                                    RawHttp.Response r;
                                    try {
                                        r = http.post(body);
                                    } catch (IOException e) {
                                        for (int k = 0; k < n; k++) {
                                            run.done(due, false, e.toString());
                                        }
                                        return;
                                    }
                                    int ok = succeeded.applyAsInt(r, n);
                                    for (int k = 0; k < n; k++) {
                                        run.done(
                                                due,
                                                k < ok,
                                                "HTTP " + r.status() + (r.status() == 200 ? " event error" : ""));
                                    }
                                }
                            } catch (IOException e) {
                                System.err.println("connection failed: " + e);
                            }
                        },
                        "load-" + c);
                t.start();
                threads.add(t);
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        private static String batchBody(Run run, long from, int n) {
            StringBuilder body = new StringBuilder("{\"events\": [");
            for (int k = 0; k < n; k++) {
                body.append(k == 0 ? "" : ",").append(run.event(from + k));
            }
            return body.append("]}").toString();
        }

        private static int count(String text, String needle) {
            int n = 0;
            for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
                n++;
            }
            return n;
        }
    }
}
