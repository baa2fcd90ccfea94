package com.northwind.eventing.admin.eventtype;

import com.northwind.eventing.admin.audit.AuditLog;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/event-types}: register, update and read event types. */
@RestController
@RequestMapping(path = "/v1/event-types", produces = "application/json")
class EventTypeController {
    private final EventTypeService service;
    private final AuditLog audit;

    EventTypeController(EventTypeService service, AuditLog audit) {
        this.service = service;
        this.audit = audit;
    }

    @PostMapping(consumes = "application/json")
    ResponseEntity<EventTypeView> create(@RequestBody EventTypeRequest request) {
        EventType created = service.create(request);
        audit.record("create", "event-type", created.name().toString(), null, EventTypeView.of(created));
        return ResponseEntity.created(URI.create("/v1/event-types/" + created.name()))
                .body(EventTypeView.of(created));
    }

    @GetMapping
    Map<String, List<EventTypeView>> list() {
        return Map.of("items", service.list().stream().map(EventTypeView::of).toList());
    }

    @GetMapping("/{eventType}")
    EventTypeView get(@PathVariable String eventType, @RequestParam(required = false) Integer version) {
        EventType type = service.get(eventType);
        if (version == null) {
            return EventTypeView.of(type);
        }
        EventTypeVersion v = type.version(version);
        if (v == null) {
            throw new NotFoundException("event type " + eventType + " has no version " + version + "; the latest is "
                    + type.latest().version());
        }
        return EventTypeView.of(type, v);
    }

    @PutMapping(path = "/{eventType}", consumes = "application/json")
    EventTypeView update(@PathVariable String eventType, @RequestBody EventTypeRequest request) {
        EventTypeView before = EventTypeView.of(service.get(eventType));
        EventTypeView after = EventTypeView.of(service.update(eventType, request));
        audit.record("update", "event-type", eventType, before, after);
        return after;
    }
}
