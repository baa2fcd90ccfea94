package com.northwind.eventing.intake.publish;

import com.northwind.eventing.common.kafka.NativeLz4;
import com.northwind.eventing.common.registry.SchemaRegistryClient;
import com.northwind.eventing.common.registry.SchemaRegistryException;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes envelopes to {@code eventing.firehose} with an idempotent, acks=all producer and completes each send only in
 * the producer's callback, after the broker acknowledged it; nothing is acknowledged that Kafka does not hold. What
 * Kafka or the schema registry cannot take now becomes UNAVAILABLE, to be retried by the client; a record larger than
 * the producer's {@code max.request.size} or the topic's {@code max.message.bytes} is TOO_LARGE, which no retry
 * mends. An envelope that cannot be encoded is a bug, not an outage: it fails with its own exception, which the
 * transports answer as an internal error.
 */
public final class KafkaFirehose implements Firehose, AutoCloseable {
    /** The W3C trace context header, carried as-is. */
    public static final String TRACEPARENT = "traceparent";

    static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final String topic;
    private final KafkaProducer<String, Envelope> producer;
    // Answers are written from here, not from Kafka's single network thread, which must only move records; a burst of
    // callbacks (a batch's records) wakes the thread once.
    private final ExecutorService acknowledgementThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "firehose-ack");
        t.setDaemon(true);
        return t;
    });
    private final Executor acknowledgements = new BurstExecutor(acknowledgementThread);

    public KafkaFirehose(String topic, Map<String, Object> clientConfig, SchemaRegistryClient registry) {
        this.topic = topic;
        NativeLz4.load(); // the firehose is lz4: native, not lz4-java's Java fallback, inside a Spring Boot jar
        Map<String, Object> p = producerConfig(clientConfig);
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "eventing-intake");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new AvroWireSerializer<>(registry, true));
    }

    /**
     * The firehose producer's settings on top of {@code clientConfig}: idempotent and acks=all always; batching, lz4
     * and the fail-fast timeouts unless the client settings say otherwise. The benchmarks' raw producer uses them too.
     */
    public static Map<String, Object> producerConfig(Map<String, Object> clientConfig) {
        Map<String, Object> p = new HashMap<>(clientConfig);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        p.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Fail fast rather than hold a request when the broker is gone or the buffer is full: the client gets a 503.
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000);
        p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
        return p;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public CompletionStage<Receipt> send(String key, Envelope envelope, String traceparent) {
        ProducerRecord<String, Envelope> record = new ProducerRecord<>(topic, key, envelope);
        if (traceparent != null) {
            record.headers().add(TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8));
        }
        CompletableFuture<Receipt> acknowledged = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, error) -> {
                if (error == null) {
                    Receipt receipt = new Receipt(
                            envelope.getEventId(), envelope.getEventType(), metadata.partition(), metadata.offset());
                    acknowledgements.execute(() -> acknowledged.complete(receipt));
                } else {
                    RuntimeException refused = refusal(error);
                    acknowledgements.execute(() -> acknowledged.completeExceptionally(refused));
                }
            });
        } catch (KafkaException e) {
            acknowledged.completeExceptionally(refusal(e));
        }
        return acknowledged;
    }

    /** What a failed send becomes: a refusal the client can act on, or, for what is no refusal, the failure itself. */
    static RuntimeException refusal(Exception error) {
        if (error instanceof RecordTooLargeException) {
            return new PublishException(
                    PublishException.Kind.TOO_LARGE,
                    "the event is too large for the firehose as a Kafka record: " + error.getMessage());
        }
        if (error instanceof SerializationException) {
            if (error.getCause() instanceof SchemaRegistryException registry && isOutage(registry)) {
                return new PublishException(
                        PublishException.Kind.UNAVAILABLE,
                        "the schema registry is unavailable: " + registry.getMessage(),
                        java.util.List.of(),
                        RETRY_AFTER);
            }
            // The registry refused the envelope's schema, or the envelope did not encode: retrying will not help.
            return (SerializationException) error;
        }
        String why =
                error instanceof RetriableException || error instanceof org.apache.kafka.common.errors.TimeoutException
                        ? "Kafka did not acknowledge the event in time"
                        : "Kafka refused the event";
        return new PublishException(
                PublishException.Kind.UNAVAILABLE, why + ": " + error.getMessage(), java.util.List.of(), RETRY_AFTER);
    }

    /** Whether the registry could not be reached or failed on its side, rather than refusing the schema. */
    private static boolean isOutage(SchemaRegistryException e) {
        return e.status() < 0 || e.status() >= 500 || e.status() == 429;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
        acknowledgementThread.shutdown();
        try {
            acknowledgementThread.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
