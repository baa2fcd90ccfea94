package com.northwind.eventing.intake.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.intake.errors.ErrorMapper;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.PublishRequest;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.intake.publish.Receipt;
import com.northwind.eventing.intake.publish.RequestReader;
import com.northwind.eventing.web.Problems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/events} and {@code POST /v1/events/batch}, as a plain asynchronous servlet: the hot path of the
 * platform, so it skips Spring MVC's handler mapping, argument resolution and second (async) dispatch. It checks, in
 * order, the token (401), the method (405), the declared size (413), the media type (415), then reads the body
 * (counting it when it has no Content-Length), reads it by the publish core's rules ({@link RequestReader}) and hands
 * it to the publish core. The answer is written from the producer's callback, never before Kafka acknowledged the
 * event, and the request then completes without another dispatch. Every failure is answered through
 * {@link ProblemResponses}: a refusal as its problem, anything unexpected as a 500 with a correlation id.
 */
final class EventServlet extends HttpServlet {
    static final String SINGLE = "/v1/events";
    static final String BATCH = "/v1/events/batch";

    private static final Logger log = LoggerFactory.getLogger(EventServlet.class);
    private static final String JSON = "application/json";

    private final transient Publisher publisher;
    private final transient JsonMapper json;
    private final transient RequestReader requests;
    private final transient ObjectReader batchReader;
    private final transient ObjectReader eventReader;
    private final long maxBytes;
    private final int maxBatchEvents;
    private final long asyncTimeoutMillis;

    /**
     * @param json the mapper answers are written with
     * @param asyncTimeout how long a request may wait for Kafka; longer than the producer's delivery timeout, so it
     *     only fires if an outcome is lost
     */
    EventServlet(Publisher publisher, JsonMapper json, long maxBytes, int maxBatchEvents, Duration asyncTimeout) {
        this.publisher = publisher;
        this.json = json;
        this.requests = publisher.requests();
        this.batchReader = requests.readerFor(Batch.class, RequestReader.BATCH);
        this.eventReader = requests.readerFor(PublishRequest.class, RequestReader.EVENT);
        this.maxBytes = maxBytes;
        this.maxBatchEvents = maxBatchEvents;
        this.asyncTimeoutMillis = asyncTimeout.toMillis();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        boolean batch = BATCH.equals(request.getServletPath());
        try {
            App app = publisher.authenticate(bearer(request.getHeader("Authorization")));
            if (!"POST".equals(request.getMethod())) {
                response.setHeader("Allow", "POST");
                Problems.write(
                        request,
                        response,
                        Problems.of(
                                405,
                                Problems.slug(405),
                                "Method not allowed",
                                request.getMethod() + " is not supported here; use POST"));
                return;
            }
            if (request.getContentLengthLong() > maxBytes) {
                throw tooLarge();
            }
            Charset charset = jsonCharset(request.getContentType());
            byte[] body = readBody(request);
            String traceparent = request.getHeader("traceparent");
            if (batch) {
                answer(request, response, publishBatch(app, body, charset, traceparent));
            } else {
                CompletionStage<Receipt> sent = publisher.publish(app, parseOne(body, charset), traceparent);
                answer(request, response, sent.thenApply(receipt -> new Answer(202, receipt)));
            }
        } catch (RuntimeException e) {
            ProblemResponses.write(request, response, e, log, where(request));
        }
    }

    private static String where(HttpServletRequest request) {
        return "publishing on " + request.getRequestURI();
    }

    /** A status and the object written as its JSON body. */
    private record Answer(int status, Object body) {}

    /** Writes the outcome once it is known: now if it already is, else from the thread that completes it. */
    private void answer(HttpServletRequest request, HttpServletResponse response, CompletionStage<Answer> outcome) {
        CompletableFuture<Answer> f = outcome.toCompletableFuture();
        if (f.isDone()) {
            write(request, response, f, null);
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(asyncTimeoutMillis);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                if (answered.compareAndSet(false, true)) {
                    write(
                            request,
                            response,
                            CompletableFuture.failedFuture(new PublishException(
                                    PublishException.Kind.UNAVAILABLE,
                                    "Kafka did not acknowledge the event in time",
                                    List.of(),
                                    Duration.ofSeconds(1))),
                            async);
                }
            }

            @Override
            public void onComplete(AsyncEvent event) {}

            @Override
            public void onError(AsyncEvent event) {}

            @Override
            public void onStartAsync(AsyncEvent event) {}
        });
        f.whenComplete((a, error) -> {
            if (answered.compareAndSet(false, true)) {
                // On a container thread: a client that does not read its answer must not hold up the thread that
                // completes Kafka's acknowledgements for everyone.
                async.start(() -> write(request, response, f, async));
            }
        });
    }

    private void write(
            HttpServletRequest request,
            HttpServletResponse response,
            CompletableFuture<Answer> outcome,
            AsyncContext async) {
        try {
            try {
                Answer a = outcome.join();
                writeJson(response, a.status(), JSON, json.writeValueAsBytes(a.body()));
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                ProblemResponses.write(request, response, e, log, where(request));
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away; the event's fate is already decided and logged by the publish core.
            log.debug("Could not answer {}: {}", request.getRequestURI(), e.toString());
        } finally {
            if (async != null) {
                async.complete();
            }
        }
    }

    /** A batch as it nearly always arrives: every event an object of the right shape. */
    private record Batch(List<PublishRequest> events) {}

    /**
     * Publishes a batch. The usual batch, every event well-formed, is read straight into requests in one pass; only
     * when that fails is it read again as a tree, event by event, so that each malformed event gets its own error
     * and the others still go. Both readings follow the same strict rules, so they accept exactly the same events.
     */
    private CompletionStage<Answer> publishBatch(App app, byte[] body, Charset charset, String traceparent) {
        Batch parsed = null;
        try {
            parsed = requests.read(batchReader, body, charset);
        } catch (PublishException e) {
            // Read again below, event by event, for the exact errors.
        }
        if (parsed == null || parsed.events() == null) {
            return publishBatch(app, requests.tree(body, charset, RequestReader.BATCH), traceparent);
        }
        List<PublishRequest> events = parsed.events();
        checkBatchSize(events.size());
        List<CompletableFuture<BatchResult>> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            PublishRequest event = events.get(i);
            results.add(
                    event == null
                            ? CompletableFuture.completedFuture(failure(i, notAnObject()))
                            : publishOne(app, i, event, traceparent));
        }
        return batchAnswer(results);
    }

    private CompletionStage<Answer> publishBatch(App app, JsonNode batch, String traceparent) {
        JsonNode events = batch.path("events");
        if (!batch.isObject() || !events.isArray()) {
            throw new PublishException(
                    PublishException.Kind.MALFORMED,
                    "a batch is an object with an array of events: {\"events\": [...]}");
        }
        if (batch.size() > 1) {
            throw new PublishException(PublishException.Kind.MALFORMED, "a batch has only the member 'events'");
        }
        checkBatchSize(events.size());
        List<CompletableFuture<BatchResult>> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            results.add(publishOne(app, i, events.get(i), traceparent));
        }
        return batchAnswer(results);
    }

    private void checkBatchSize(int size) {
        if (size > maxBatchEvents) {
            throw new PublishException(
                    PublishException.Kind.TOO_LARGE,
                    "a batch holds at most " + maxBatchEvents + " events; this one has " + size);
        }
    }

    private static CompletionStage<Answer> batchAnswer(List<CompletableFuture<BatchResult>> results) {
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> new Answer(
                        200,
                        Map.of(
                                "results",
                                results.stream().map(CompletableFuture::join).toList())));
    }

    private CompletableFuture<BatchResult> publishOne(App app, int index, JsonNode event, String traceparent) {
        if (!event.isObject()) {
            return CompletableFuture.completedFuture(failure(index, notAnObject()));
        }
        PublishRequest request;
        try {
            request = requests.event(event);
        } catch (PublishException e) {
            return CompletableFuture.completedFuture(failure(index, e));
        }
        return publishOne(app, index, request, traceparent);
    }

    private static PublishException notAnObject() {
        return new PublishException(PublishException.Kind.MALFORMED, "each event is an object");
    }

    private CompletableFuture<BatchResult> publishOne(App app, int index, PublishRequest request, String traceparent) {
        try {
            return publisher
                    .publish(app, request, traceparent)
                    .thenApply(receipt -> success(index, receipt))
                    .exceptionally(error -> failure(index, error))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(failure(index, e));
        }
    }

    private PublishRequest parseOne(byte[] body, Charset charset) {
        PublishRequest request = requests.read(eventReader, body, charset);
        if (request == null) {
            // The body was empty or the JSON literal null.
            throw new PublishException(PublishException.Kind.MALFORMED, "the body must be a JSON object: an event");
        }
        return request;
    }

    /** The whole body, refused with a 413 as soon as it passes the limit, whether or not its length was declared. */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        InputStream in = request.getInputStream();
        if (declared >= 0) {
            return in.readNBytes((int) declared);
        }
        byte[] body = in.readNBytes((int) maxBytes + 1);
        if (body.length > maxBytes) {
            throw tooLarge();
        }
        return body;
    }

    /**
     * The charset of a JSON body, or a 415 unless the media type is {@code application/json}. Without a charset
     * parameter JSON is UTF-8 (RFC 8259).
     */
    private static Charset jsonCharset(String contentType) {
        if (contentType == null) {
            throw unsupported("a body of type application/json is required");
        }
        if (contentType.equalsIgnoreCase(JSON)) {
            return StandardCharsets.UTF_8;
        }
        MediaType type;
        try {
            type = MediaType.parseMediaType(contentType);
        } catch (InvalidMediaTypeException e) {
            throw unsupported("the Content-Type " + contentType + " does not parse; send application/json");
        }
        if (!type.getType().equalsIgnoreCase("application")
                || !type.getSubtype().equalsIgnoreCase("json")) {
            throw unsupported("the Content-Type " + contentType + " is not supported; send application/json");
        }
        try {
            Charset charset = type.getCharset();
            return charset == null ? StandardCharsets.UTF_8 : charset;
        } catch (UnsupportedCharsetException | IllegalCharsetNameException e) {
            throw unsupported("the charset of " + contentType + " is not supported; send UTF-8");
        }
    }

    private static PublishException unsupported(String message) {
        return new PublishException(PublishException.Kind.UNSUPPORTED_MEDIA_TYPE, message);
    }

    private PublishException tooLarge() {
        return new PublishException(
                PublishException.Kind.TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
    }

    private static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).trim();
    }

    /**
     * One event's line in a batch's answer: its index and receipt, or its index and problem. A record rather than a
     * map, so that Jackson writes it with one serializer found once instead of looking one up for every value.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"index", "eventId", "eventType", "partition", "offset", "error"})
    record BatchResult(
            int index, String eventId, String eventType, Integer partition, Long offset, Map<String, Object> error) {}

    private static BatchResult success(int index, Receipt r) {
        return new BatchResult(index, r.eventId(), r.eventType(), r.partition(), r.offset(), null);
    }

    /** An event of a batch that failed: refused, or failed unexpectedly (logged, answered 500 in its line). */
    private static BatchResult failure(int index, Throwable e) {
        return new BatchResult(
                index,
                null,
                null,
                null,
                null,
                Problems.toMap(ErrorMapper.toProblem(e, log, "publishing event " + index + " of a batch"), null));
    }

    private static void writeJson(HttpServletResponse response, int status, String contentType, byte[] body)
            throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
