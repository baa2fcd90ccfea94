package com.northwind.eventing.admin.catalog;

import com.northwind.eventing.admin.store.Params;
import com.northwind.eventing.admin.store.StoreParameterException;
import java.util.Set;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /v1/catalog}: find event types and see one with its versions, publishers, subscribers and aggregations. */
@RestController
@RequestMapping(path = "/v1/catalog", produces = "application/json")
class CatalogController {
    static final int MAX_QUERY_LENGTH = 200;
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private final Catalog catalog;

    CatalogController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    CatalogViews.Page search(@RequestParam MultiValueMap<String, String> parameters) {
        Params params = new Params(parameters, Set.of("q", "limit"));
        String q = params.single("q");
        if (q != null && q.length() > MAX_QUERY_LENGTH) {
            throw StoreParameterException.invalid("q", "longer than " + MAX_QUERY_LENGTH + " characters");
        }
        int limit = params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        return catalog.search(q, limit);
    }

    @GetMapping("/{eventType}")
    CatalogViews.Entry entry(@PathVariable String eventType) {
        return catalog.entry(eventType);
    }
}
