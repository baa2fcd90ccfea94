package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.redaction.RedactionPlan;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.serde.WireFormat;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * What a dead letter holds, and its headers, the same whether the processor could not route a record or a copy of it
 * could not be written. The dead-letter topic is read by people who fix routing, not by apps cleared for what events
 * carry, so a dead letter never holds a sensitive value:
 *
 * <ul>
 *   <li>an event whose type is known holds the event redacted of every sensitive field its type declares in any
 *       version, as an app with no read grants would get it ({@code ***REDACTED***}, listed in
 *       {@code redactedPaths}), in the envelope's wire format under the subject {@code eventing.deadletter-value};
 *   <li>a record that cannot be read (not an envelope, a body that is not JSON), an event whose type or version the
 *       router does not know (so nobody can say what is sensitive), or a redacted event that cannot be encoded or
 *       would be larger than the dead-letter topic takes, holds no value at all: only the record's size and SHA-256
 *       in the headers {@code eventing-deadletter-size} and {@code eventing-deadletter-sha256}.
 * </ul>
 *
 * A dead letter always fits the dead-letter topic (checked before the send, as copies are: under exactly-once a
 * record the broker refuses would abort the transaction), and the headers {@code eventing-deadletter-topic},
 * {@code -partition} and {@code -offset} lead whoever may read the firehose to the original. A redacted dead letter carries no digest of the original: beside the redacted event it would let a reader
 * test guesses of the hidden values.
 */
public final class DeadLetters {
    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final AvroWireSerializer<Envelope> encoder;
    private final RecordLimits limits;

    /**
     * @param encoder registers the envelope's schema under the dead-letter topic's subject, and encodes it
     * @param limits the largest record the dead-letter topic takes
     */
    public DeadLetters(AvroWireSerializer<Envelope> encoder, RecordLimits limits) {
        this.encoder = encoder;
        this.limits = limits;
    }

    /** A dead letter as it is written: its value (null for a digest) and headers. */
    public record Letter(byte[] value, Headers headers) {}

    /**
     * The dead letter of a record: {@code body}, with the headers {@code headersFor} gives it, when that record fits
     * the dead-letter topic, else the record's digest. A redacted event is a little larger than the event (each
     * masked value becomes the mask, and {@code redactedPaths} lists it), so a record near its topic's limit may
     * not fit redacted.
     *
     * @param key the record's key, written with the dead letter
     * @param firehoseValue the record's value
     */
    public Letter letter(byte[] key, byte[] firehoseValue, Body body, Function<Body, Headers> headersFor) {
        Headers headers = headersFor.apply(body);
        if (body.value() != null
                && RecordLimits.upperBound(key, body.value(), headers)
                        > limits.maxRecordBytes(RouterTopology.DEADLETTER)) {
            body = digest(firehoseValue);
            headers = headersFor.apply(body);
        }
        return new Letter(body.value(), headers);
    }

    /**
     * What a dead letter holds in place of the firehose record.
     *
     * @param value the redacted event in the wire format, or null when the dead letter holds no value
     * @param headers what describes the value: the size and digest of the record when there is no value
     */
    public record Body(byte[] value, List<Header> headers) {}

    /**
     * The event redacted of every field {@code everything} redacts, or the digest when that cannot be made at all (see
     * the class comment); {@link #letter} then checks its size.
     *
     * @param firehoseValue the record's value, which {@code event} was read from
     * @param everything the plan redacting every sensitive field of the event's type, in any version
     */
    public Body redacted(byte[] firehoseValue, Envelope event, RedactionPlan everything) {
        RedactionPlan.RedactedText redacted;
        try {
            redacted = everything.apply(event.getBody());
        } catch (JacksonException e) {
            return digest(firehoseValue);
        }
        if (redacted.paths().isEmpty() && event.getRedactedPaths().isEmpty()) {
            // Nothing sensitive in it: the record's own bytes are that event, under a schema id of the registry's.
            return new Body(firehoseValue, List.of());
        }
        Envelope copy = Envelope.newBuilder(event)
                .setBody(redacted.body())
                .setRedactedPaths(redacted.paths())
                .build();
        try {
            byte[] avro = encoder.avroBinary(copy);
            return new Body(
                    WireFormat.frame(encoder.schemaId(RouterTopology.DEADLETTER, copy.getSchema()), avro), List.of());
        } catch (SerializationException e) {
            // The registry refuses the dead-letter subject or cannot be reached: the digest needs neither, and the
            // offset headers still lead to the original.
            log.warn(
                    "cannot write event {} redacted to the dead-letter topic, so its dead letter holds only its digest: {}",
                    event.getEventId(),
                    e.toString());
            return digest(firehoseValue);
        }
    }

    /** No value: the record's size and SHA-256 (lower-case hex) in headers, nothing when the record has no value. */
    public static Body digest(byte[] firehoseValue) {
        if (firehoseValue == null) {
            return new Body(null, List.of());
        }
        return new Body(
                null,
                List.of(
                        new RecordHeader(RouterTopology.HEADER_DLQ_SIZE, utf8(Integer.toString(firehoseValue.length))),
                        new RecordHeader(RouterTopology.HEADER_DLQ_SHA256, utf8(sha256(firehoseValue)))));
    }

    /**
     * The headers of a dead letter: the record's own headers, then the reason, the exception class, where the record
     * was read, for one copy the subscription, and what describes the body.
     *
     * @param cause the exception that made the record a dead letter, or null when there is none
     * @param topic where the record was read, or null when not known (then partition and offset are left out too)
     * @param subscription the subscription whose copy failed, or null when the whole record failed
     */
    public static Headers headers(
            Headers source,
            String reason,
            Throwable cause,
            String topic,
            int partition,
            long offset,
            String subscription,
            Body body) {
        Headers h = new RecordHeaders(source.toArray());
        h.add(RouterTopology.HEADER_DLQ_REASON, utf8(reason));
        h.add(
                RouterTopology.HEADER_DLQ_EXCEPTION,
                utf8(cause == null ? "" : cause.getClass().getName()));
        if (topic != null) {
            h.add(RouterTopology.HEADER_DLQ_TOPIC, utf8(topic));
            h.add(RouterTopology.HEADER_DLQ_PARTITION, utf8(Integer.toString(partition)));
            h.add(RouterTopology.HEADER_DLQ_OFFSET, utf8(Long.toString(offset)));
        }
        if (subscription != null) {
            h.add(RouterTopology.HEADER_SUBSCRIPTION, utf8(subscription));
        }
        for (Header b : body.headers()) {
            h.add(b);
        }
        return h;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
