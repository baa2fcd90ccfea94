package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.admin.eventtype.EventTypeService;
import com.northwind.eventing.admin.kafka.RegistryTopicFactory;
import com.northwind.eventing.admin.problem.ConflictException;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.common.kafka.CompactedTopic;
import com.northwind.eventing.common.model.Aggregation;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.model.ValidationException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Aggregation rules, kept on {@code eventing.registry.aggregations}. A rule is recorded only once it holds against the
 * registry as it is ({@link RuleChecks}); writes are serialised, so that two rules checked at once cannot make a loop
 * between them.
 */
@Service
public class AggregationService implements DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(AggregationService.class);

    private final CompactedTopic<Aggregation> topic;
    private final EventTypeService eventTypes;
    private final Clock clock;

    AggregationService(RegistryTopicFactory topics, EventTypeService eventTypes, Clock clock) {
        this.eventTypes = eventTypes;
        this.clock = clock;
        this.topic = topics.open(RegistryTopics.AGGREGATIONS, Aggregation.class);
    }

    public List<Aggregation> list() {
        return topic.values().stream()
                .sorted(Comparator.comparing(Aggregation::id))
                .toList();
    }

    Aggregation get(String id) {
        return topic.get(id).orElseThrow(() -> new NotFoundException("aggregation " + id + " does not exist"));
    }

    synchronized Aggregation create(AggregationRequest request) {
        Aggregation rule = request.toRule(request.id(), clock.instant());
        if (topic.get(rule.id()).isPresent()) {
            throw new ConflictException(
                    "aggregation " + rule.id() + " already exists; PUT /v1/aggregations/" + rule.id() + " replaces it");
        }
        RuleChecks.check(rule, registeredTypes(), topic.values());
        topic.write(rule.id(), rule);
        log.info(
                "Created aggregation {} ({}) reading {} into {}",
                rule.id(),
                rule.kind(),
                rule.inputTypes(),
                rule.outputTypes());
        return rule;
    }

    /** The rule recorded under the path's id, and whether it is new. */
    record Put(Aggregation rule, boolean created) {}

    /** Creates the rule under {@code id}, or replaces the rule there; a replaced rule keeps its creation time. */
    synchronized Put put(String id, AggregationRequest request) {
        if (request.id() != null && !request.id().equals(id)) {
            throw new ValidationException(
                    "/id",
                    "the body names aggregation " + request.id() + " but the path names " + id + "; they must agree");
        }
        Optional<Aggregation> current = topic.get(id);
        Aggregation rule =
                request.toRule(id, current.map(Aggregation::createdAt).orElseGet(clock::instant));
        RuleChecks.check(rule, registeredTypes(), topic.values());
        topic.write(id, rule);
        log.info(
                "{} aggregation {} ({}) reading {} into {}",
                current.isPresent() ? "Replaced" : "Created",
                rule.id(),
                rule.kind(),
                rule.inputTypes(),
                rule.outputTypes());
        return new Put(rule, current.isEmpty());
    }

    synchronized void delete(String id) {
        get(id);
        topic.write(id, null);
        log.info("Deleted aggregation {}", id);
    }

    private Map<String, EventType> registeredTypes() {
        return eventTypes.list().stream().collect(Collectors.toMap(t -> t.name().toString(), Function.identity()));
    }

    @Override
    public void destroy() {
        topic.close();
    }
}
