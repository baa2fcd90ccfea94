package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.AppToken;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RateLimit;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.auth.RateLimiter;
import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.publish.EventTypeCatalog;
import com.northwind.eventing.intake.publish.Firehose;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.PublishMetrics;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.intake.publish.RegistryFreshness;
import com.northwind.eventing.intake.support.Events;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The real publish core and gRPC server on a free port, with a firehose the test controls in place of Kafka: it
 * acknowledges at once, or holds every send until the test completes it, in any order.
 */
final class GrpcFixture implements AutoCloseable {
    static final String TOKEN = "evt_grpc-test-token";
    static final String LIMITED_TOKEN = "evt_grpc-limited-token";

    final HeldFirehose firehose = new HeldFirehose();
    final AppDirectory apps = new AppDirectory();
    final Publisher publisher;
    final GrpcServer server;

    GrpcFixture(int maxBatchEvents, int maxInFlightPerStream) {
        apps.apply("producer", Optional.of(app("producer", TOKEN, null)));
        apps.apply("limited", Optional.of(app("limited", LIMITED_TOKEN, new RateLimit(1, 1))));
        EventTypeCatalog types = new EventTypeCatalog();
        types.apply("Claim.Submitted.Grpc", Optional.of(claimType("Grpc")));
        types.apply("Claim.Submitted.Other", Optional.of(claimType("Other")));
        publisher = new Publisher(
                apps,
                new RateLimiter(new RateLimit(100_000, 100_000), System::nanoTime),
                types,
                firehose,
                Clock.systemUTC(),
                new PublishMetrics(
                        new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                        name -> types.find(name).isPresent()),
                Publisher.Limits.DEFAULT,
                RegistryFreshness.ALWAYS);
        IntakeProperties properties = new IntakeProperties(
                null,
                null,
                null,
                new IntakeProperties.Limits(4096, maxBatchEvents),
                null,
                new IntakeProperties.Grpc("127.0.0.1", 0, maxInFlightPerStream),
                null);
        server = new GrpcServer(publisher, properties);
        server.start();
    }

    String target() {
        return "127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        firehose.hold = false;
        firehose.completeAll();
        server.stop();
    }

    static String claim(String object, String transactionId) {
        return """
                {"noun": "Claim", "verb": "Submitted", "object": "%s",
                 "metadata": {"transactionId": "%s", "timestamp": "2026-11-22T10:15:30Z"},
                 "tags": ["state:TX"],
                 "body": {"claimId": "C-%s", "amount": 125.5}}
                """.formatted(object, transactionId, transactionId);
    }

    private static App app(String id, String token, RateLimit limit) {
        return new App(
                id,
                "claims",
                List.of("Claim.*.Grpc"),
                List.of(),
                List.of(new AppToken("tok_" + id, sha256(token), Instant.EPOCH)),
                limit,
                Instant.EPOCH,
                Instant.EPOCH);
    }

    private static EventType claimType(String object) {
        return Events.eventType(object, """
                {"type": "object", "required": ["claimId", "amount"],
                 "properties": {"claimId": {"type": "string"}, "amount": {"type": "number", "minimum": 0}}}
                """);
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A firehose in place of Kafka: each send gets the next offset on partition 0, once the test lets it. */
    static final class HeldFirehose implements Firehose {
        record Send(String key, Envelope envelope, String traceparent, CompletableFuture<Receipt> acknowledged) {}

        volatile boolean hold;
        volatile boolean fail;
        private final List<Send> pending = new ArrayList<>();
        private final List<Send> sent = new ArrayList<>();
        private int maxPending;
        private long nextOffset;

        @Override
        public synchronized CompletionStage<Receipt> send(String key, Envelope envelope, String traceparent) {
            Send s = new Send(key, envelope, traceparent, new CompletableFuture<>());
            sent.add(s);
            if (fail) {
                s.acknowledged.completeExceptionally(new PublishException(
                        PublishException.Kind.UNAVAILABLE,
                        "Kafka did not acknowledge the event in time",
                        List.of(),
                        Duration.ofSeconds(1)));
            } else if (hold) {
                pending.add(s);
                maxPending = Math.max(maxPending, pending.size());
            } else {
                acknowledge(s);
            }
            return s.acknowledged;
        }

        /** Acknowledges every held send, last first: the opposite of the order they came in. */
        void completeAllReversed() {
            List<Send> taken;
            synchronized (this) {
                taken = new ArrayList<>(pending);
                pending.clear();
            }
            for (int i = taken.size() - 1; i >= 0; i--) {
                acknowledge(taken.get(i));
            }
        }

        void completeAll() {
            List<Send> taken;
            synchronized (this) {
                taken = new ArrayList<>(pending);
                pending.clear();
            }
            taken.forEach(this::acknowledge);
        }

        private void acknowledge(Send s) {
            long offset;
            synchronized (this) {
                offset = nextOffset++;
            }
            s.acknowledged.complete(new Receipt(
                    s.envelope.getEventId().toString(),
                    s.envelope.getEventType().toString(),
                    0,
                    offset));
        }

        synchronized int pending() {
            return pending.size();
        }

        synchronized int maxPending() {
            return maxPending;
        }

        synchronized List<Send> sent() {
            return List.copyOf(sent);
        }
    }
}
