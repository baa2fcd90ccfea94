package com.northwind.eventing.load;

import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.schema.Envelope;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code --mode=latency}: how long an event takes from the intake's receipt to a consumer of a subscription topic.
 * Registers, through admin-api, an event type, a producer app and a subscription of the run's own; waits until a probe
 * event arrives on the subscription's topic (the intake and the router have read them); then publishes over REST, one
 * event per request, at {@code --rate} for {@code --duration}, each event due at its time on an open-loop schedule
 * ({@link Pacing}), while a read_committed consumer of the topic decodes each copy and records its latency from
 * {@code metadata.receivedAt} and from the time it was due ({@link LatencyResults}). It waits at most
 * {@code --drain-timeout} for every acknowledged event, reports, and deletes the subscription and its topic and revokes
 * the app's token (admin-api deletes neither event types nor apps).
 */
final class LatencyBench {
    private static final int MAX_EVENTS = 50_000_000;
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(2);

    /** What the mode takes; see {@link #of}. */
    record Options(
            String admin,
            String intake,
            String bootstrap,
            String registry,
            int rate,
            Duration duration,
            Duration drainTimeout,
            int concurrency,
            int bodyBytes) {
        static Options of(Map<String, String> o) {
            String transport = o.getOrDefault("transport", "rest");
            if (!transport.equals("rest")) {
                throw new IllegalArgumentException(
                        "--transport must be rest (one event per request) in this mode, not " + transport);
            }
            String admin = Args.httpUrl(o, "admin", "http://127.0.0.1:8081");
            Options options = new Options(
                    admin,
                    Args.httpUrl(o, "intake", "http://127.0.0.1:8080"),
                    o.getOrDefault("bootstrap", "127.0.0.1:9092"),
                    Args.httpUrl(o, "schema-registry", admin),
                    Args.integer(o, "rate", 2000, 1, 1_000_000),
                    Args.duration(o, "duration", Duration.ofMinutes(2), Duration.ofSeconds(1)),
                    Args.duration(o, "drain-timeout", Duration.ofSeconds(30), Duration.ZERO),
                    Args.integer(o, "concurrency", 16, 1, 1024),
                    Args.integer(o, "body-bytes", 300, 1, 1_000_000));
            if (options.events() > MAX_EVENTS) {
                throw new IllegalArgumentException("--rate times --duration is " + options.events()
                        + " events; at most " + MAX_EVENTS + " are kept track of");
            }
            return options;
        }

        long events() {
            return rate * duration.toSeconds();
        }
    }

    private final Options options;
    private final String adminToken;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String type = "Latency.Measured.R" + run;
    private final String app = "latency-" + run;
    private final String subscription = "latency-" + run;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Wall-clock time on the monotonic clock: epoch nanos at {@link #nanoAnchor}. */
    private final long epochAnchor;

    private final long nanoAnchor;

    LatencyBench(Options options, String adminToken) {
        this.options = options;
        this.adminToken = adminToken;
        Instant now = Instant.now();
        this.nanoAnchor = System.nanoTime();
        this.epochAnchor = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private long epochNanos(long nanoTime) {
        return epochAnchor + (nanoTime - nanoAnchor);
    }

    void run() throws Exception {
        String[] credentials = register();
        String token = credentials[0];
        try {
            String topic = topicOf(subscription);
            int events = (int) options.events();
            LatencyResults results = new LatencyResults(events);
            long[] due = new long[events];
            AtomicBoolean probed = new AtomicBoolean();
            AtomicBoolean stop = new AtomicBoolean();
            Thread consumer = new Thread(() -> consume(topic, results, due, probed, stop), "latency-consumer");
            consumer.start();
            try {
                probe(token, probed);
                System.out.printf(
                        "latency %s: %s routed to %s; publishing %d events at %d/s for %s over REST (%d"
                                + " connections)%n",
                        run, type, topic, events, options.rate(), options.duration(), options.concurrency());
                Pacing pacing = new Pacing(System.nanoTime() + 10_000_000L, options.rate());
                for (int i = 0; i < events; i++) {
                    due[i] = epochNanos(pacing.due(i));
                }
                Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
                long start = pacing.due(0);
                publish(token, pacing, results, events, failures);
                long publishEnd = System.nanoTime();
                double seconds = (publishEnd - start) / 1e9;
                long deadline = publishEnd + options.drainTimeout().toNanos();
                while (!results.drained() && System.nanoTime() < deadline && consumer.isAlive()) {
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                System.out.printf(
                        Locale.ROOT,
                        "published %d events in %.1f s: %.0f acknowledged/s (asked %d/s); %d failed; %d sent over"
                                + " %d ms behind the schedule (at most %.1f ms)%n",
                        events,
                        seconds,
                        results.acknowledgedCount() / seconds,
                        options.rate(),
                        events - results.acknowledgedCount(),
                        pacing.late(),
                        Pacing.LATE_NANOS / 1_000_000,
                        pacing.maxLateNanos() / 1e6);
                failures.forEach((why, n) -> System.out.printf("  %d x %s%n", n.get(), why));
                results.summary(options.drainTimeout()).forEach(System.out::println);
            } finally {
                stop.set(true);
                consumer.join(TimeUnit.SECONDS.toMillis(30));
            }
        } finally {
            cleanUp(credentials[1]);
        }
    }

    /** Each connection takes the next event, waits until it is due (not at all when late), sends it, and records. */
    private void publish(
            String token, Pacing pacing, LatencyResults results, int events, Map<String, AtomicLong> failures)
            throws InterruptedException {
        URI uri = URI.create(options.intake() + "/v1/events");
        AtomicLong next = new AtomicLong();
        String payload = "x".repeat(Math.max(1, options.bodyBytes() - 30));
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < options.concurrency(); c++) {
            Thread t = new Thread(
                    () -> {
                        try (RawHttp connection = new RawHttp(uri, token)) {
                            for (long i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                                long due = pacing.due(i);
                                long wait = due - System.nanoTime();
                                if (wait > 0) {
                                    LockSupport.parkNanos(wait);
                                }
                                pacing.sent(due, System.nanoTime());
                                String why;
                                try {
                                    RawHttp.Response r = connection.post(event(String.valueOf(i), payload));
                                    if (r.status() == 202) {
                                        results.acknowledged((int) i);
                                        continue;
                                    }
                                    why = "HTTP " + r.status();
                                } catch (IOException e) {
                                    why = e.getClass().getSimpleName();
                                }
                                failures.computeIfAbsent(why, k -> new AtomicLong())
                                        .incrementAndGet();
                            }
                        } catch (IOException e) {
                            System.err.println("connection failed: " + e);
                        }
                    },
                    "latency-publisher-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** The event: its sequence number (or {@code probe}) in the transaction id, which every copy keeps. */
    private String event(String seq, String payload) {
        String[] nvo = type.split("\\.");
        return "{\"noun\": \"" + nvo[0] + "\", \"verb\": \"" + nvo[1] + "\", \"object\": \"" + nvo[2] + "\","
                + " \"metadata\": {\"transactionId\": \"" + run + "-" + seq + "\"}, \"body\": {\"seq\": \""
                + seq + "\", \"payload\": \"" + payload + "\"}}";
    }

    /** Publishes a probe event every half second until one arrives: the intake knows the app, the router the route. */
    private void probe(String token, AtomicBoolean probed) throws Exception {
        long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
        URI uri = URI.create(options.intake() + "/v1/events");
        int last = 0;
        while (!probed.get()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no probe event reached the subscription's topic within "
                        + PROBE_TIMEOUT + " (the intake's last answer to one: " + last + ")");
            }
            try (RawHttp connection = new RawHttp(uri, token)) {
                last = connection.post(event("probe", "probe")).status();
            }
            for (int i = 0; i < 10 && !probed.get(); i++) {
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    /** Reads the subscription's topic from its start, read_committed, until told to stop. */
    private void consume(String topic, LatencyResults results, long[] due, AtomicBoolean probed, AtomicBoolean stop) {
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.bootstrap(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                IsolationLevel.READ_COMMITTED.toString(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                // As a consumer waiting for events would: an answer as soon as there is a record.
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                100);
        AvroWireDeserializer<Envelope> envelopes = new AvroWireDeserializer<>(
                new RestSchemaRegistryClient(options.registry(), "Bearer " + adminToken),
                Envelope.getClassSchema(),
                true);
        String prefix = run + "-";
        try (KafkaConsumer<byte[], Envelope> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), envelopes)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!stop.get()) {
                for (ConsumerRecord<byte[], Envelope> r : consumer.poll(Duration.ofMillis(100))) {
                    long received = epochNanos(System.nanoTime());
                    String id = r.value().getMetadata().getTransactionId();
                    String seq = id.startsWith(prefix) ? id.substring(prefix.length()) : "";
                    if (seq.equals("probe")) {
                        probed.set(true);
                        continue;
                    }
                    int i = seq.isEmpty() || !seq.chars().allMatch(Character::isDigit) || seq.length() > 9
                            ? -1
                            : Integer.parseInt(seq);
                    Instant receipt = r.value().getMetadata().getReceivedAt();
                    long receiptNanos = receipt.getEpochSecond() * 1_000_000_000L + receipt.getNano();
                    results.received(i, received - receiptNanos, i < 0 ? 0 : received - due[i]);
                }
            }
        } catch (RuntimeException e) {
            // Ids and types only: never a copy's body.
            System.err.println(
                    "the consumer of " + topic + " stopped: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    // --- registry (through admin-api)

    /** Registers the run's type, app and subscription; answers the app's token and token id. */
    private String[] register() throws IOException, InterruptedException {
        String[] nvo = type.split("\\.");
        send(
                "POST",
                "/v1/event-types",
                "{\"noun\": \"" + nvo[0] + "\", \"verb\": \"" + nvo[1] + "\", \"object\": \""
                        + nvo[2] + "\", \"owner\": \"load-tool\", \"description\": \"Events of one latency run\","
                        + " \"retentionDays\": 1, \"storePolicy\": \"NONE\","
                        + " \"schema\": {\"type\": \"object\", \"required\": [\"seq\"], \"properties\": {\"seq\":"
                        + " {\"type\": \"string\"}, \"payload\": {\"type\": \"string\"}}}}");
        String answer = send(
                "POST",
                "/v1/apps",
                "{\"id\": \"" + app + "\", \"team\": \"load\", \"publish\": [\"" + type + "\"], \"read\": [],"
                        + " \"rateLimit\": {\"eventsPerSecond\": 1000000, \"burst\": 1000000}}");
        String token = answer.replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
        String tokenId = answer.replaceAll(".*\"tokenId\":\"([^\"]+)\".*", "$1");
        send(
                "POST",
                "/v1/subscriptions",
                "{\"id\": \"" + subscription + "\", \"app\": \"" + app + "\", \"eventTypes\": [\"" + type + "\"]}");
        return new String[] {token, tokenId};
    }

    private String topicOf(String id) throws IOException, InterruptedException {
        return send("GET", "/v1/subscriptions/" + id, null).replaceAll(".*\"topic\":\"([^\"]+)\".*", "$1");
    }

    /** Deletes the subscription and its topic and revokes the app's token; says what it could not. */
    private void cleanUp(String tokenId) {
        for (String[] call : List.of(
                new String[] {"/v1/subscriptions/" + subscription + "?deleteTopic=true", "the subscription"},
                new String[] {"/v1/apps/" + app + "/tokens/" + tokenId, "the app's token"})) {
            try {
                send("DELETE", call[0], null);
            } catch (IOException | RuntimeException e) {
                System.err.println("could not delete " + call[1] + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        System.out.printf(
                "deleted subscription %s and its topic, revoked app %s's token; event type %s and app %s stay"
                        + " (admin-api deletes neither)%n",
                subscription, app, type, app);
    }

    private String send(String method, String path, String json) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(options.admin() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken);
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
