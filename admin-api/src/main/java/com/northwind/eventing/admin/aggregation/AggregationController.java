package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.admin.audit.AuditLog;
import com.northwind.eventing.common.model.Aggregation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/aggregations}: the rules that make new events out of the events that pass. */
@RestController
@RequestMapping(path = "/v1/aggregations", produces = "application/json")
class AggregationController {
    private final AggregationService service;
    private final AuditLog audit;

    AggregationController(AggregationService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<Aggregation> create(@RequestBody AggregationRequest request) {
        Aggregation rule = service.create(request);
        audit.record("create", "aggregation", rule.id(), null, rule);
        return ResponseEntity.created(URI.create("/v1/aggregations/" + rule.id()))
                .body(rule);
    }

    @GetMapping
    Map<String, List<Aggregation>> list() {
        return Map.of("items", service.list());
    }

    @GetMapping("/{id}")
    Aggregation get(@PathVariable String id) {
        return service.get(id);
    }

    @PutMapping(path = "/{id}", consumes = "application/json")
    ResponseEntity<Aggregation> put(@PathVariable String id, @RequestBody AggregationRequest request) {
        Aggregation before = service.list().stream()
                .filter(r -> r.id().equals(id))
                .findFirst()
                .orElse(null);
        AggregationService.Put put = service.put(id, request);
        audit.record(put.created() ? "create" : "update", "aggregation", id, before, put.rule());
        return put.created()
                ? ResponseEntity.created(URI.create("/v1/aggregations/" + id)).body(put.rule())
                : ResponseEntity.ok(put.rule());
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        Aggregation before = service.get(id);
        service.delete(id);
        audit.record("delete", "aggregation", id, before, null);
        return ResponseEntity.noContent().build();
    }
}
