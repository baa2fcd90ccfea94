package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a copy cannot be written. A fault of that one copy (the registry refuses its topic's subject, the
 * copy is too large for its topic, Avro cannot write it) sends a dead letter for the firehose record to the dead-letter
 * topic, made and with headers as the processor's own ({@link DeadLetters}: redacted of every sensitive field) plus the
 * subscription, and routing goes on with the next copy. Anything else fails the task, so that it retries from its last
 * committed transaction and nothing is lost: a registry or broker that cannot be reached, a timeout, a fenced
 * producer, a registry that refuses the router's credentials.
 *
 * <p>Only faults found before the send can be dead-lettered. Under exactly-once, a record the producer or broker
 * refuses puts the producer's transaction in an abortable state: the copies already sent with it, and any dead letter
 * added now, are aborted with it. Such a failure therefore fails the task (a retriable one asks Streams to retry),
 * and the limits a broker enforces per record are checked before the send instead ({@link RecordLimits}).
 *
 * <p>Logs event ids, subscriptions and positions, never a body.
 */
public final class CopyFailureHandler implements ProductionExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(CopyFailureHandler.class);

    @Override
    public void configure(Map<String, ?> configs) {}

    @Override
    @SuppressWarnings("rawtypes") // the interface's own signature
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        Object value = record.value();
        String subscription = header(record.headers(), RouterTopology.HEADER_SUBSCRIPTION);
        String eventId = header(record.headers(), RouterTopology.HEADER_EVENT_ID);
        if (origin == SerializationExceptionOrigin.VALUE
                && value instanceof Outbound.Delivery delivery
                && isFaultOfThisCopy(exception)) {
            Outbound.Source source = delivery.source();
            String reason = "cannot write the copy for subscription " + subscription + " to " + record.topic() + ": "
                    + exception.getMessage();
            log.warn(
                    "dead-lettering the copy of event {} for subscription {} (from {}-{}@{}): {}",
                    eventId,
                    subscription,
                    source.topic(),
                    source.partition(),
                    source.offset(),
                    reason);
            DeadLetters.Letter letter = source.deadLetter()
                    .apply(body -> DeadLetters.headers(
                            source.headers(),
                            reason,
                            exception,
                            source.topic(),
                            source.partition(),
                            source.offset(),
                            subscription,
                            body));
            return Response.resume(List.of(new ProducerRecord<>(
                    RouterTopology.DEADLETTER,
                    null,
                    source.timestamp(),
                    source.key(),
                    letter.value(),
                    letter.headers())));
        }
        log.error(
                "cannot write a record to {} (event {}, subscription {}); failing the task so that it retries: {}",
                record.topic(),
                eventId,
                subscription,
                exception.toString());
        return Response.fail();
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        // The transaction this record belonged to can no longer commit (see the class comment): retry the task if the
        // error may pass, fail it otherwise. Either way it resumes from its last committed transaction.
        log.error(
                "Kafka refused a record for {} (event {}, subscription {}): {}",
                record.topic(),
                header(record.headers(), RouterTopology.HEADER_EVENT_ID),
                header(record.headers(), RouterTopology.HEADER_SUBSCRIPTION),
                exception.toString());
        return exception instanceof RetriableException ? Response.retry() : Response.fail();
    }

    /**
     * Whether the exception is about this copy alone, so that dead-lettering it loses nothing that a retry would have
     * delivered. A registry refusal counts when it is about the subject (409 incompatible, 422 invalid); an
     * unreachable registry, a 5xx, or a 401/403 (the router's own credentials) would dead-letter every copy, and do
     * not.
     */
    static boolean isFaultOfThisCopy(Throwable exception) {
        boolean recordFault = false;
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException) {
                return false;
            }
            if (t instanceof SchemaRegistryException sre) {
                return sre.status() == 409 || sre.status() == 422;
            }
            if (t instanceof RecordTooLargeException
                    || t instanceof InvalidRecordException
                    || t instanceof SerializationException) {
                recordFault = true;
            }
        }
        return recordFault;
    }

    private static String header(Headers headers, String name) {
        Header h = headers == null ? null : headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
