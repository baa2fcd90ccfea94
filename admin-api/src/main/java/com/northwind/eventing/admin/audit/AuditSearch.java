package com.northwind.eventing.admin.audit;

import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;

import com.mongodb.client.model.Sorts;
import com.northwind.eventing.admin.problem.NotFoundException;
import com.northwind.eventing.admin.store.Cursor;
import com.northwind.eventing.admin.store.Params;
import com.northwind.eventing.admin.store.StoreParameterException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.bson.Document;
import org.bson.conversions.Bson;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Finds audit entries in the store: by resource, actor, action and time, newest first, a page at a time; by id. */
@Service
class AuditSearch {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    static final Set<String> ACTIONS = Set.of(
            "create",
            "update",
            "delete",
            "rotate",
            "revoke",
            "cancel",
            "sign-in",
            "sign-out",
            "approve",
            "reject",
            "withdraw");
    static final Set<String> RESOURCE_TYPES = Set.of(
            "event-type",
            "app",
            "app-token",
            "kafka-credentials",
            "subscription",
            "aggregation",
            "replay",
            "registry-subject",
            "registry-config",
            "session",
            "request");
    private static final Set<String> PARAMETERS =
            Set.of("resource", "actor", "action", "from", "to", "limit", Cursor.PARAMETER);
    private static final Pattern ACTOR =
            Pattern.compile("admin|service|" + AuditLog.ANONYMOUS + "|app:[a-z][a-z0-9-]*");
    private static final Bson NEWEST_FIRST = Sorts.descending(AuditStore.AT, "_id");

    private final AuditStore store;
    private final JsonMapper json;

    AuditSearch(AuditStore store, JsonMapper json) {
        this.store = store;
        this.json = json;
    }

    /** One page of entries and where the next one starts (null after the last). */
    record Page(List<JsonNode> entries, String nextCursor) {}

    Page search(MultiValueMap<String, String> query) {
        Params params = new Params(query, PARAMETERS);
        List<Bson> where = new ArrayList<>();
        String resource = params.single("resource");
        if (resource != null) {
            int slash = resource.indexOf('/');
            String type = slash < 0 ? resource : resource.substring(0, slash);
            if (!RESOURCE_TYPES.contains(type)) {
                throw StoreParameterException.invalid(
                        "resource",
                        "must be <type> or <type>/<id>, the type one of "
                                + String.join(
                                        ", ", RESOURCE_TYPES.stream().sorted().toList()));
            }
            where.add(eq(AuditStore.RESOURCE_TYPE, type));
            if (slash >= 0) {
                String id = resource.substring(slash + 1);
                if (id.isEmpty()) {
                    throw StoreParameterException.invalid("resource", "the id after " + type + "/ is empty");
                }
                where.add(eq(AuditStore.RESOURCE_ID, id));
            }
        }
        String actor = params.single("actor");
        if (actor != null) {
            if (!ACTOR.matcher(actor).matches()) {
                throw StoreParameterException.invalid(
                        "actor", "must be admin, service, " + AuditLog.ANONYMOUS + " or app:<app id>");
            }
            where.add(eq(AuditStore.ACTOR, actor));
        }
        String action = params.single("action");
        if (action != null) {
            if (!ACTIONS.contains(action)) {
                throw StoreParameterException.invalid(
                        "action",
                        "must be one of "
                                + String.join(", ", ACTIONS.stream().sorted().toList()));
            }
            where.add(eq(AuditStore.ACTION, action));
        }
        Instant from = params.instant("from");
        Instant to = params.instant("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw StoreParameterException.invalid("from", "must be before to");
        }
        if (from != null) {
            where.add(gte(AuditStore.AT, Date.from(from)));
        }
        if (to != null) {
            where.add(lt(AuditStore.AT, Date.from(to)));
        }
        int limit = params.integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        String cursor = params.single(Cursor.PARAMETER);
        if (cursor != null) {
            where.add(Cursor.decode(cursor).after(AuditStore.AT));
        }
        Cursor.Page page = Cursor.page(
                store.collection()
                        .find(where.isEmpty() ? new Document() : and(where))
                        .sort(NEWEST_FIRST)
                        .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS),
                limit,
                AuditStore.AT);
        return new Page(page.documents().stream().map(this::entry).toList(), page.next());
    }

    JsonNode entry(String id) {
        if (id.length() > 64) {
            throw new NotFoundException("audit entry " + id.substring(0, 64) + "... does not exist");
        }
        Document found = store.collection()
                .find(eq("_id", id))
                .maxTime(store.queryTimeout(TimeUnit.MILLISECONDS), TimeUnit.MILLISECONDS)
                .first();
        if (found == null) {
            throw new NotFoundException("audit entry " + id + " does not exist");
        }
        return entry(found);
    }

    private JsonNode entry(Document d) {
        return json.readTree(d.getString(AuditStore.ENTRY));
    }
}
