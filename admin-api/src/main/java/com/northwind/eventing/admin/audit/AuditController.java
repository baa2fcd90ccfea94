package com.northwind.eventing.admin.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /v1/audit}: the audit log's entries as the store holds them, newest first. */
@RestController
class AuditController {
    private final AuditSearch search;

    AuditController(AuditSearch search) {
        this.search = search;
    }

    /** A page: {@code nextCursor} is always there, null after the last page. */
    record PageView(
            List<JsonNode> entries,
            @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {}

    @GetMapping(path = "/v1/audit", produces = "application/json")
    PageView entries(@RequestParam MultiValueMap<String, String> query) {
        AuditSearch.Page page = search.search(query);
        return new PageView(page.entries(), page.nextCursor());
    }

    @GetMapping(path = "/v1/audit/{id}", produces = "application/json")
    JsonNode entry(@PathVariable String id) {
        return search.entry(id);
    }
}
