package com.northwind.eventing.admin.catalog;

import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The catalog's answers. Each member is chosen here, so nothing of the registry leaks through by being added to it. */
final class CatalogViews {
    private CatalogViews() {}

    /** {@code GET /v1/catalog}: {@code truncated} when more types matched than {@code limit}. */
    record Page(List<Item> items, boolean truncated) {}

    /** @param matched why the type matched: {@code noun}, {@code verb}, {@code object}, {@code name}, {@code
     *     description}, {@code owner}, {@code field:<pointer>}; empty when the search had no text */
    record Item(String eventType, String description, String owner, int latestVersion, List<String> matched) {}

    /** {@code GET /v1/catalog/{eventType}}. */
    record Entry(
            String eventType,
            String noun,
            String verb,
            String object,
            String description,
            String owner,
            int retentionDays,
            int latestVersion,
            List<Version> versions,
            JsonNode example,
            List<Publisher> publishers,
            List<Subscriber> subscribers,
            Lineage aggregations,
            Instant createdAt,
            Instant updatedAt) {}

    record Version(
            int version,
            JsonNode schema,
            List<String> fields,
            List<SensitiveField> sensitiveFields,
            StorePolicy storePolicy,
            Instant createdAt) {
        static Version of(EventTypeVersion v) {
            return new Version(
                    v.version(),
                    v.schema(),
                    SchemaFields.of(v.schema()),
                    v.sensitiveFields(),
                    v.storePolicy(),
                    v.createdAt());
        }
    }

    /** An app whose publish grants cover the type. */
    record Publisher(String app, String team) {}

    /** A subscription whose event-type patterns match the type: its id and app, never its filter. */
    record Subscriber(String subscription, String app) {}

    /** Aggregation rules that read the type ({@code consumes}) and that write it ({@code produces}). */
    record Lineage(List<Consumer> consumes, List<Producer> produces) {}

    /** A rule reading the type, and the types it writes (its output, and its breach output when it has one). */
    record Consumer(String id, List<String> output) {}

    /** A rule writing the type, and the types it reads. */
    record Producer(String id, List<String> inputs) {}
}
