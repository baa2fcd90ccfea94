package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
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
 * What happens when Kafka refuses a record the processor made. The processor has already dead-lettered every copy that
 * cannot be written for a reason of its own (the registry refuses its topic's subject, it is too large for its topic,
 * Avro cannot write it: {@link #isFaultOfThisCopy}), beside its siblings. What is left here is refused by the producer
 * or the broker, and under exactly-once that puts the transaction in an abortable state: the copies already sent with
 * it, and any dead letter added now, are aborted with it. So nothing is dead-lettered here: an error that may pass
 * retries the task from its last committed transaction; any other fails it, and {@link StreamFailures} stops the
 * router rather than fail on the same record for ever.
 *
 * <p>Logs event ids, subscriptions and topics, never a body.
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
        // The processor serialized everything already; a failure here is a bug, and must not lose the record.
        log.error(
                "cannot write a record to {} (event {}, subscription {}): {}",
                record.topic(),
                header(record.headers(), RouterTopology.HEADER_EVENT_ID),
                header(record.headers(), RouterTopology.HEADER_SUBSCRIPTION),
                exception.getClass().getName());
        return Response.fail();
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        // The transaction this record belonged to can no longer commit (see the class comment): retry the task if the
        // error may pass, fail it otherwise. Either way it resumes from its last committed transaction.
        boolean retriable = exception instanceof RetriableException;
        log.error(
                "Kafka refused a record for topic {} (event {}, subscription {}){}: {}",
                record.topic(),
                header(record.headers(), RouterTopology.HEADER_EVENT_ID),
                header(record.headers(), RouterTopology.HEADER_SUBSCRIPTION),
                retriable ? "; retrying the task" : "; failing the task, as a retry would be refused the same way",
                exception.toString());
        return retriable ? Response.retry() : Response.fail();
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
