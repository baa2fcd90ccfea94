package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.TaskMigratedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the router does when a stream thread fails. A failure that may pass (Kafka or the schema registry cannot be
 * reached, a timeout, a task that moved) replaces the thread, which resumes from the last committed transaction.
 * Anything else would fail again on the same record for ever (a subscription's topic was deleted, the broker refuses
 * a record for good, the registry refuses the router's credentials): the client stops, with an ERROR naming what
 * failed, and its health goes DOWN, so that an operator mends it; nothing is committed past the record, so nothing is
 * lost when it starts again.
 *
 * <p>A source topic missing at an assignment is taken as passing during {@link #START_UP} after the client started:
 * the topics were created just before it, and a broker's metadata can lag the controller's for a moment, most of all
 * on a loaded machine. Later it means the topic was deleted, which a retry does not mend.
 */
public final class StreamFailures implements StreamsUncaughtExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(StreamFailures.class);
    static final Duration START_UP = Duration.ofMinutes(2);

    private final LongSupplier nanoTime;
    private final long startedAt;

    public StreamFailures() {
        this(System::nanoTime);
    }

    StreamFailures(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.startedAt = nanoTime.getAsLong();
    }

    @Override
    public StreamThreadExceptionResponse handle(Throwable exception) {
        if (mayPass(exception) || (missingSource(exception) && nanoTime.getAsLong() - startedAt < START_UP.toNanos())) {
            log.error(
                    "Router stream thread {} failed and is replaced, resuming from its last commit: {}",
                    Thread.currentThread().getName(),
                    causes(exception));
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        log.error(
                "Router stops: stream thread {} failed for a reason that a retry does not mend, so the router is"
                        + " shutting down and reports DOWN until it is restarted: {}",
                Thread.currentThread().getName(),
                causes(exception));
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static boolean missingSource(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof MissingSourceTopicException) {
                return true;
            }
        }
        return false;
    }

    /** Whether a retry may succeed: somewhere in the cause chain is a failure Kafka or the registry calls passing. */
    static boolean mayPass(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof RetriableException || t instanceof TaskMigratedException) {
                return true;
            }
            if (t instanceof SchemaRegistryException sre) {
                return sre.status() < 0 || sre.status() >= 500 || sre.status() == 429;
            }
        }
        return false;
    }

    /**
     * The cause chain: each exception's class, and the messages of the router's and Kafka's own exceptions, which name
     * topics, subscriptions and tasks; never another's message, which may quote an event body (PHI).
     */
    public static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            if (!b.isEmpty()) {
                b.append(" <- ");
            }
            b.append(t.getClass().getName());
            if (t.getMessage() != null && speaksOfNoBody(t)) {
                b.append(": ").append(t.getMessage().replace('\n', ' '));
            }
        }
        return b.toString();
    }

    private static boolean speaksOfNoBody(Throwable t) {
        return t instanceof RoutingProcessor.TaskFailure
                || t instanceof MissingTopicException
                || t instanceof MissingSourceTopicException
                || t instanceof ApiException
                // Kafka's own report of a record the producer or broker refused: names the topic and task.
                || (t instanceof StreamsException && t.getMessage().startsWith("Error encountered sending record"));
    }
}
