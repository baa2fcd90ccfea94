package com.northwind.eventing.router.topology;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.redaction.RedactionPlan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The redaction plans one processor has compiled, by type, version and app. A plan is kept while the registry view
 * holds the same parsed type and app (a changed registry value is a new parsed instance, which compiles a new plan).
 * One per processor: used by its stream thread only.
 */
final class RedactionPlans {
    private final Map<PlanKey, CachedPlan> plans = new HashMap<>();
    private final Map<String, CachedPlan> everything = new HashMap<>();

    /**
     * The plan for an app reading a version of a type: the sensitive fields of that version and of every later one
     * that the app is not cleared for.
     *
     * @param typeName the name {@code type} was looked up by, not built again from its parts
     */
    RedactionPlan plan(String typeName, EventType type, EventTypeVersion version, App app) {
        PlanKey key = new PlanKey(typeName, version.version(), app.id());
        CachedPlan cached = plans.get(key);
        if (cached == null || cached.type != type || cached.app != app) {
            cached = new CachedPlan(type, app, RedactionPlan.compile(type, version.version(), app.readGrants()));
            plans.put(key, cached);
        }
        return cached.plan;
    }

    /**
     * The plan that redacts every sensitive field the type declares in any version, as for an app with no read grants:
     * what dead letters hold, and what a subscription whose app is not registered is filtered on.
     */
    RedactionPlan everything(String typeName, EventType type) {
        CachedPlan cached = everything.get(typeName);
        if (cached == null || cached.type != type) {
            cached = new CachedPlan(type, null, RedactionPlan.compile(type, 1, List.of()));
            everything.put(typeName, cached);
        }
        return cached.plan;
    }

    private record PlanKey(String type, int version, String app) {}

    private record CachedPlan(EventType type, App app, RedactionPlan plan) {}
}
