package com.northwind.eventing.intake.rest;

import com.northwind.eventing.common.json.JsonErrors;
import com.northwind.eventing.common.model.App;
import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.publish.PublishException;
import com.northwind.eventing.intake.publish.PublishRequest;
import com.northwind.eventing.intake.publish.Publisher;
import com.northwind.eventing.intake.publish.Receipt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/events} and {@code POST /v1/events/batch}. Translates HTTP to the publish core and back; the
 * response completes in the producer's callback, never before Kafka acknowledged.
 */
@RestController
class EventController {
    private final Publisher publisher;
    private final JsonMapper json;
    private final int maxBatchEvents;

    EventController(Publisher publisher, JsonMapper json, IntakeProperties properties) {
        this.publisher = publisher;
        this.json = json;
        this.maxBatchEvents = properties.limits().maxBatchEvents();
    }

    @PostMapping(path = "/v1/events", consumes = "application/json", produces = "application/json")
    CompletableFuture<ResponseEntity<Object>> publish(
            @RequestAttribute(AuthFilter.APP) App app,
            @RequestBody PublishRequest request,
            @RequestHeader(name = "traceparent", required = false) String traceparent) {
        try {
            return publisher
                    .publish(app, request, traceparent)
                    .thenApply(receipt -> ResponseEntity.accepted().<Object>body(receipt))
                    .exceptionally(error -> ProblemResponses.of(ProblemResponses.unwrap(error)))
                    .toCompletableFuture();
        } catch (PublishException e) {
            return CompletableFuture.completedFuture(ProblemResponses.of(e));
        }
    }

    /** The batch body: events that each stand or fall alone. */
    @PostMapping(path = "/v1/events/batch", consumes = "application/json", produces = "application/json")
    CompletableFuture<ResponseEntity<Object>> publishBatch(
            @RequestAttribute(AuthFilter.APP) App app,
            @RequestBody JsonNode batch,
            @RequestHeader(name = "traceparent", required = false) String traceparent) {
        JsonNode events = batch.path("events");
        if (!batch.isObject() || !events.isArray()) {
            return CompletableFuture.completedFuture(ProblemResponses.of(new PublishException(
                    PublishException.Kind.MALFORMED,
                    "a batch is an object with an array of events: {\"events\": [...]}")));
        }
        if (batch.size() > 1) {
            return CompletableFuture.completedFuture(ProblemResponses.of(
                    new PublishException(PublishException.Kind.MALFORMED, "a batch has only the member 'events'")));
        }
        if (events.size() > maxBatchEvents) {
            return CompletableFuture.completedFuture(ProblemResponses.of(new PublishException(
                    PublishException.Kind.TOO_LARGE,
                    "a batch holds at most " + maxBatchEvents + " events; this one has " + events.size())));
        }
        List<CompletableFuture<Map<String, Object>>> results = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            results.add(publishOne(app, i, events.get(i), traceparent));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(done -> ResponseEntity.ok()
                        .<Object>body(Map.of(
                                "results",
                                results.stream().map(CompletableFuture::join).toList())));
    }

    private CompletableFuture<Map<String, Object>> publishOne(App app, int index, JsonNode event, String traceparent) {
        try {
            PublishRequest request = toRequest(event);
            return publisher
                    .publish(app, request, traceparent)
                    .thenApply(receipt -> success(index, receipt))
                    .exceptionally(error -> failure(index, ProblemResponses.unwrap(error)))
                    .toCompletableFuture();
        } catch (PublishException e) {
            return CompletableFuture.completedFuture(failure(index, e));
        }
    }

    private PublishRequest toRequest(JsonNode event) {
        if (!event.isObject()) {
            throw new PublishException(PublishException.Kind.MALFORMED, "each event is an object");
        }
        try {
            return json.treeToValue(event, PublishRequest.class);
        } catch (JacksonException e) {
            throw new PublishException(PublishException.Kind.MALFORMED, JsonErrors.describe(e));
        }
    }

    private static Map<String, Object> success(int index, Receipt r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("eventId", r.eventId());
        m.put("eventType", r.eventType());
        m.put("partition", r.partition());
        m.put("offset", r.offset());
        return m;
    }

    private static Map<String, Object> failure(int index, PublishException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("error", ProblemResponses.problem(e));
        return m;
    }
}
