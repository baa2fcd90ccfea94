package com.northwind.eventing.admin.backtest;

import com.northwind.eventing.admin.eventtype.EventTypeService;
import com.northwind.eventing.admin.store.StoredEvents;
import com.northwind.eventing.admin.subscription.SubscriptionService;
import com.northwind.eventing.common.filter.ContentFilter;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.ReadGrant;
import com.northwind.eventing.common.model.Subscription;
import com.northwind.eventing.common.model.ValidationException;
import com.northwind.eventing.common.model.Violation;
import com.northwind.eventing.common.redaction.RedactionPlan;
import com.northwind.eventing.schema.Envelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Backtests a draft subscription over the event store: each stored event of the range whose type the draft's patterns
 * match is decided as the router decides a copy (synthetic policy, then tags, then the content filter on the body as
 * the app would see it now), and the matched ones are counted, by type, with a few samples as the app would get them.
 * Nothing is created.
 */
@Service
class Backtests {
    private static final Logger log = LoggerFactory.getLogger(Backtests.class);
    static final int DEFAULT_SAMPLES = 10;
    static final int MAX_SAMPLES = 50;
    private static final String DRAFT = "/subscription";
    /** The members of a stored document a sample shows: the envelope's, in its order. */
    private static final List<String> ENVELOPE = Envelope.getClassSchema().getFields().stream()
            .map(Schema.Field::name)
            .toList();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SubscriptionService subscriptions;
    private final EventTypeService eventTypes;
    private final StoredEvents stored;

    Backtests(SubscriptionService subscriptions, EventTypeService eventTypes, StoredEvents stored) {
        this.subscriptions = subscriptions;
        this.eventTypes = eventTypes;
        this.stored = stored;
    }

    /** What the backtest answers. */
    record Result(
            long matched,
            long examined,
            Map<String, Long> byType,
            Map<String, Long> byReason,
            List<Map<String, Object>> samples,
            boolean truncated) {}

    Result run(BacktestRequest request) {
        if (request.subscription() == null) {
            throw new ValidationException(
                    DRAFT, "subscription is required: the draft, as POST /v1/subscriptions takes it");
        }
        SubscriptionService.Draft draft;
        try {
            draft = subscriptions.draft(request.subscription());
        } catch (ValidationException e) {
            // The same violations as POST /v1/subscriptions, located under the draft's member of this body.
            throw new ValidationException(e.violations().stream()
                    .map(v -> new Violation(DRAFT + v.pointer(), v.detail()))
                    .toList());
        }
        int samples = request.samples() == null ? DEFAULT_SAMPLES : request.samples();
        if (samples < 0 || samples > MAX_SAMPLES) {
            throw new ValidationException("/samples", "samples must be from 0 to " + MAX_SAMPLES);
        }
        StoredEvents.Range range = stored.range("", request.from(), request.to());
        Subscription s = draft.subscription();
        Evaluation evaluation = new Evaluation(s, draft.app().readGrants(), types(), samples);
        boolean truncated = stored.forEach(s.typePatterns(), range, stored.maxExamined(), evaluation::decide);
        log.info(
                "Backtest of a draft subscription of app {} on {}: {} examined, {} matched{}",
                s.app(),
                s.eventTypes(),
                evaluation.examined,
                evaluation.matched,
                truncated ? ", truncated" : "");
        Map<String, Long> byReason = new LinkedHashMap<>();
        byReason.put("synthetic", evaluation.synthetic);
        byReason.put("tags", evaluation.tags);
        byReason.put("content", evaluation.content);
        return new Result(
                evaluation.matched, evaluation.examined, evaluation.byType, byReason, evaluation.samples, truncated);
    }

    private Map<String, EventType> types() {
        Map<String, EventType> types = new HashMap<>();
        eventTypes.list().forEach(t -> types.put(t.name().toString(), t));
        return types;
    }

    /** One backtest's counts, as the events go by. */
    private static final class Evaluation {
        private final Subscription subscription;
        private final ContentFilter filter;
        private final List<ReadGrant> grants;
        private final Map<String, EventType> types;
        private final int maxSamples;
        private final Map<String, RedactionPlan> plans = new HashMap<>();
        private final Map<String, Long> byType = new TreeMap<>();
        private final List<Map<String, Object>> samples = new ArrayList<>();
        private long examined;
        private long matched;
        private long synthetic;
        private long tags;
        private long content;

        Evaluation(Subscription subscription, List<ReadGrant> grants, Map<String, EventType> types, int maxSamples) {
            this.subscription = subscription;
            this.filter = ContentFilter.parse(subscription.filter());
            this.grants = grants;
            this.types = types;
            this.maxSamples = maxSamples;
        }

        /** Decides one stored event, in the router's order; the events come newest first. */
        void decide(Map<String, Object> event) {
            examined++;
            if (!subscription.synthetic().admits(Boolean.TRUE.equals(event.get("synthetic")))) {
                synthetic++;
                return;
            }
            if (!subscription.tags().matches(strings(event.get("tags")))) {
                tags++;
                return;
            }
            String typeName = String.valueOf(event.get("eventType"));
            int version = event.get("bodySchemaVersion") instanceof Number n ? n.intValue() : 1;
            EventType type = types.get(typeName);
            // A type the registry no longer knows: the router could not route the event (it would dead-letter it),
            // so it is examined and not matched, under none of the filters' reasons.
            if (type == null) {
                return;
            }
            RedactionPlan plan =
                    plans.computeIfAbsent(typeName + "#" + version, k -> RedactionPlan.compile(type, version, grants));
            // A body the store did not keep (too large) is read as one without fields.
            JsonNode body = event.get("body") == null ? JSON.createObjectNode() : JSON.valueToTree(event.get("body"));
            if (!filter.isEmpty()
                    && !filter.matches(plan.isEmpty() ? body : plan.apply(body).body())) {
                content++;
                return;
            }
            matched++;
            byType.merge(typeName, 1L, Long::sum);
            if (samples.size() < maxSamples) {
                samples.add(sample(event, body, plan));
            }
        }

        /** The event as the app would get it now: projected by {@code include}, then redacted under its grants. */
        private Map<String, Object> sample(Map<String, Object> event, JsonNode body, RedactionPlan plan) {
            RedactionPlan.Redacted redacted = plan.apply(project(body, subscription.include()));
            Set<String> paths = new LinkedHashSet<>(strings(event.get("redactedPaths")));
            paths.addAll(redacted.paths());
            Map<String, Object> sample = new LinkedHashMap<>();
            for (String member : ENVELOPE) {
                if (member.equals("body")) {
                    sample.put("body", event.get("body") == null ? null : redacted.body());
                } else if (member.equals("redactedPaths")) {
                    sample.put("redactedPaths", List.copyOf(paths));
                } else if (event.containsKey(member)) {
                    sample.put(member, event.get(member));
                }
            }
            return sample;
        }

        private static JsonNode project(JsonNode body, List<String> include) {
            if (include.isEmpty() || !body.isObject()) {
                return body;
            }
            ObjectNode kept = JSON.createObjectNode();
            for (String field : include) {
                JsonNode value = body.get(field);
                if (value != null) {
                    kept.set(field, value);
                }
            }
            return kept;
        }

        private static List<String> strings(Object list) {
            List<String> out = new ArrayList<>();
            if (list instanceof List<?> l) {
                for (Object o : l) {
                    if (o instanceof String str) {
                        out.add(str);
                    }
                }
            }
            return out;
        }
    }
}
