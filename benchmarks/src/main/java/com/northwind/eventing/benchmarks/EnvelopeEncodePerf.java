package com.northwind.eventing.benchmarks;

import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.schema.Envelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One envelope (the router benchmark's, a 300-byte body) to Avro binary, two ways in one run: {@code serializer} as the
 * intake's firehose producer and the router's copies do it ({@code AvroWireSerializer}, which writes envelopes with
 * its own field-by-field writer), and {@code specificDatumWriter}, Avro's generated-class writer into the same kind of
 * reused buffered encoder, which the serializer used before. Both give the same bytes; the score is envelopes per
 * second on one thread.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class EnvelopeEncodePerf {
    @State(Scope.Thread)
    public static class Encoders {
        final Envelope envelope = RoutePerf.envelope();
        final AvroWireSerializer<Envelope> serializer = new AvroWireSerializer<>(null, false);
        final SpecificDatumWriter<Envelope> specific =
                new SpecificDatumWriter<>(Envelope.getClassSchema(), SpecificData.getForClass(Envelope.class));
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        BinaryEncoder encoder;

        @Setup
        public void start() {
            encoder = EncoderFactory.get().binaryEncoder(out, null);
        }
    }

    @Benchmark
    public byte[] serializer(Encoders e) {
        return e.serializer.avroBinary(e.envelope);
    }

    @Benchmark
    public byte[] specificDatumWriter(Encoders e) throws IOException {
        e.out.reset();
        e.encoder = EncoderFactory.get().binaryEncoder(e.out, e.encoder);
        e.specific.write(e.envelope, e.encoder);
        e.encoder.flush();
        return e.out.toByteArray();
    }
}
