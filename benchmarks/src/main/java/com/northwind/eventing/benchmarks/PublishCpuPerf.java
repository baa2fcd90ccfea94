package com.northwind.eventing.benchmarks;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.registry.InMemorySchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.intake.publish.Firehose;
import com.northwind.eventing.intake.publish.PublishRequest;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.intake.publish.RequestReader;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.ObjectReader;

/**
 * The intake's own CPU per event, without Kafka: a REST batch of {@value #BATCH} events read as the servlet reads it,
 * then each event published through the core to a firehose that encodes the envelope to its wire format (as the
 * producer's serializer does) and acknowledges at once. No broker, no network, no other process: the figure that
 * moves when the intake's code does, steadier than {@link PublishPerf}'s, whose broker shares the machine. The score is
 * events per second on one thread; a microsecond per event is 1,000,000.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@Threads(1)
public class PublishCpuPerf {
    static final int BATCH = 100;

    /** The REST batch document's shape, as the servlet reads it. */
    public record Batch(List<PublishRequest> events) {}

    @State(Scope.Thread)
    public static class Core {
        byte[][] batches;
        InMemorySchemaRegistryClient schemas;
        Publisher publisher;
        /** The batch document as the servlet reads it: by the publish core's request reader. */
        ObjectReader batchReader;

        App app;
        int next;
        /** The wire-format value of the last envelope encoded. */
        byte[] lastEncoded;
        /** How many envelopes were encoded. */
        long encoded;

        @Setup
        public void start() {
            schemas = new InMemorySchemaRegistryClient();
            AvroWireSerializer<Envelope> serializer = new AvroWireSerializer<>(schemas, true);
            Firehose encodeOnly = (key, envelope, traceparent) -> {
                lastEncoded = serializer.serialize(FirehoseBroker.TOPIC, envelope);
                CompletionStage<Receipt> done = CompletableFuture.completedFuture(
                        new Receipt(envelope.getEventId(), envelope.getEventType(), 0, encoded++));
                return done;
            };
            publisher = PublishPerf.publisher(encodeOnly);
            batchReader = publisher.requests().readerFor(Batch.class, RequestReader.BATCH);
            app = publisher.authenticate(PublishPerf.TOKEN);
            byte[][] requests = PublishPerf.requests();
            batches = new byte[requests.length / BATCH][];
            for (int b = 0; b < batches.length; b++) {
                StringBuilder doc = new StringBuilder("{\"events\": [");
                for (int i = 0; i < BATCH; i++) {
                    doc.append(i == 0 ? "" : ", ").append(new String(requests[b * BATCH + i], StandardCharsets.UTF_8));
                }
                batches[b] = doc.append("]}").toString().getBytes(StandardCharsets.UTF_8);
            }
        }

        byte[] nextBatch() {
            next = next + 1 == batches.length ? 0 : next + 1;
            return batches[next];
        }
    }

    /** One batch read and its events published; scored per event. Returns each event's acknowledgement. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public List<CompletionStage<Receipt>> publishBatch(Core core) {
        byte[] json = core.nextBatch();
        Batch batch = core.publisher.requests().read(core.batchReader, json, StandardCharsets.UTF_8);
        List<CompletionStage<Receipt>> acknowledged = new ArrayList<>(BATCH);
        for (PublishRequest event : batch.events()) {
            acknowledged.add(core.publisher.publish(core.app, event, null));
        }
        return acknowledged;
    }

    /** Only the reading of a batch, the part of {@link #publishBatch} that is JSON parsing; scored per event. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Batch readBatch(Core core) {
        byte[] json = core.nextBatch();
        return core.publisher.requests().read(core.batchReader, json, StandardCharsets.UTF_8);
    }
}
