package com.northwind.eventing.common.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;

/** The hand-written envelope writer gives Avro's own bytes for every envelope, and exists only for its schema. */
class EnvelopeWriterPropertiesTest {
    @Property(tries = 2000)
    void writesTheBytesAvroWrites(@ForAll("envelopes") Envelope envelope) throws IOException {
        byte[] avro = write(
                new SpecificDatumWriter<>(Envelope.getClassSchema(), SpecificData.getForClass(Envelope.class)),
                envelope);

        assertThat(write(new EnvelopeWriter(), envelope)).isEqualTo(avro);
        // And through the serializer, which picks it for envelopes.
        assertThat(new AvroWireSerializer<Envelope>(null, false).avroBinary(envelope))
                .isEqualTo(avro);
    }

    @Example
    void isWrittenForTheSchemaOfEnvelopeAvsc() {
        List<String> fields = new ArrayList<>();
        for (Schema.Field f : Envelope.getClassSchema().getFields()) {
            fields.add(f.name());
        }
        for (Schema.Field f : Metadata.getClassSchema().getFields()) {
            fields.add("metadata." + f.name());
        }
        // When Envelope.avsc changes, EnvelopeWriter must change with it: write the new field where the schema has it.
        assertThat(fields).isEqualTo(EnvelopeWriter.FIELDS);
        assertThatThrownBy(() -> new EnvelopeWriter().setSchema(Metadata.getClassSchema()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] write(DatumWriter<Envelope> writer, Envelope envelope) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(envelope, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Provide
    Arbitrary<Envelope> envelopes() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<String> optional = text.injectNull(0.3);
        Arbitrary<List<String>> list = text.list().ofMaxSize(40);
        Arbitrary<Instant> instant = Combinators.combine(
                        Arbitraries.longs().between(-62_000_000_000L, 250_000_000_000L),
                        Arbitraries.integers().between(0, 999_999_999))
                .as(Instant::ofEpochSecond);
        Arbitrary<Metadata> metadata = Combinators.combine(text, optional, instant, instant, optional, optional, text)
                .as((tx, user, occurred, received, type, source, app) ->
                        new Metadata(tx, user, occurred, received, type, source, app));
        Arbitrary<Envelope> head = Combinators.combine(text, text, text, text, optional, text, metadata, list)
                .as((id, noun, verb, object, sub, type, m, tags) -> Envelope.newBuilder()
                        .setEventId(id)
                        .setNoun(noun)
                        .setVerb(verb)
                        .setObject(object)
                        .setSubObject(sub)
                        .setEventType(type)
                        .setMetadata(m)
                        .setTags(tags)
                        .setSynthetic(false)
                        .setBody("{}")
                        .setBodySchemaVersion(1)
                        .build());
        return Combinators.combine(
                        head,
                        Arbitraries.of(true, false),
                        Arbitraries.strings().ofMaxLength(2000),
                        Arbitraries.integers(),
                        list)
                .as((e, synthetic, body, version, redacted) -> Envelope.newBuilder(e)
                        .setSynthetic(synthetic)
                        .setBody(body)
                        .setBodySchemaVersion(version)
                        .setRedactedPaths(redacted)
                        .build());
    }
}
