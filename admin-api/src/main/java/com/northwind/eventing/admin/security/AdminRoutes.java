package com.northwind.eventing.admin.security;

import static com.northwind.eventing.admin.security.AdminAccess.ADMIN_TOKEN;
import static com.northwind.eventing.admin.security.AdminAccess.APP_SCOPED;
import static com.northwind.eventing.admin.security.AdminAccess.OPEN;
import static com.northwind.eventing.admin.security.AdminAccess.REGISTRY_WRITE;
import static com.northwind.eventing.admin.security.AdminAccess.SESSION;
import static com.northwind.eventing.admin.security.AdminAccess.SIGNED_IN;
import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.PATCH;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import com.northwind.eventing.web.RouteTable;

/**
 * Every route admin-api serves, and what each needs. A handler that is not here is never reached (404), and a test
 * holds this list and Spring's handler mappings to each other, so a new endpoint cannot ship without a decision here.
 */
public final class AdminRoutes {
    /**
     * The admin API's prefix: any path under it without a valid credential (the admin token, an app token, a console
     * session) is a 401, whatever follows; an app on a route not granted to it is a 403.
     */
    public static final String ADMIN_PREFIX = "/v1";

    private AdminRoutes() {}

    /** The routes; the registry's only when admin-api embeds it (no external registry configured). */
    public static RouteTable<AdminAccess> table(boolean embeddedRegistry) {
        RouteTable.Builder<AdminAccess> b = RouteTable.builder();
        b.route(GET, "/actuator/health", OPEN)
                .route(GET, "/actuator/health/**", OPEN)
                .route(GET, "/actuator/info", OPEN)
                .route(GET, "/actuator/prometheus", OPEN);
        // The API's descriptions: the admin API's and, for the console on this origin, the intake's.
        b.route(GET, "/openapi.json", OPEN)
                .route(GET, "/openapi.yaml", OPEN)
                .route(GET, "/openapi/intake.json", OPEN)
                .route(GET, "/openapi/intake.yaml", OPEN);
        b.route(POST, "/v1/event-types", ADMIN_TOKEN)
                .route(GET, "/v1/event-types", SIGNED_IN)
                .route(GET, "/v1/event-types/{eventType}", SIGNED_IN)
                .route(PUT, "/v1/event-types/{eventType}", ADMIN_TOKEN)
                .route(POST, "/v1/apps", ADMIN_TOKEN)
                .route(GET, "/v1/apps", ADMIN_TOKEN)
                .route(GET, "/v1/apps/{id}", APP_SCOPED)
                .route(PUT, "/v1/apps/{id}", ADMIN_TOKEN)
                .route(DELETE, "/v1/apps/{id}", ADMIN_TOKEN)
                .route(POST, "/v1/apps/{id}/kafka-credentials", APP_SCOPED)
                .route(POST, "/v1/apps/{id}/tokens", APP_SCOPED)
                .route(DELETE, "/v1/apps/{id}/tokens/{tokenId}", APP_SCOPED)
                .route(POST, "/v1/subscriptions", APP_SCOPED)
                .route(GET, "/v1/subscriptions", APP_SCOPED)
                .route(GET, "/v1/subscriptions/{id}", APP_SCOPED)
                .route(PATCH, "/v1/subscriptions/{id}", APP_SCOPED)
                .route(DELETE, "/v1/subscriptions/{id}", APP_SCOPED)
                .route(POST, "/v1/aggregations", ADMIN_TOKEN)
                .route(GET, "/v1/aggregations", SIGNED_IN)
                .route(GET, "/v1/aggregations/{id}", SIGNED_IN)
                .route(PUT, "/v1/aggregations/{id}", ADMIN_TOKEN)
                .route(DELETE, "/v1/aggregations/{id}", ADMIN_TOKEN)
                .route(GET, "/v1/events", ADMIN_TOKEN)
                .route(GET, "/v1/events/{eventId}", ADMIN_TOKEN)
                .route(GET, "/v1/events/{eventId}/deliveries", ADMIN_TOKEN)
                .route(GET, "/v1/subscriptions/{id}/deliveries", APP_SCOPED)
                .route(GET, "/v1/subscriptions/{id}/lag", APP_SCOPED)
                .route(GET, "/v1/deliveries", ADMIN_TOKEN)
                .route(POST, "/v1/subscriptions/backtest", APP_SCOPED)
                .route(GET, "/v1/transactions/{transactionId}", ADMIN_TOKEN)
                .route(GET, "/v1/stats", ADMIN_TOKEN)
                .route(POST, "/v1/replays", APP_SCOPED)
                .route(GET, "/v1/replays", APP_SCOPED)
                .route(GET, "/v1/replays/{id}", APP_SCOPED)
                .route(DELETE, "/v1/replays/{id}", APP_SCOPED)
                .route(POST, "/v1/requests", APP_SCOPED)
                .route(GET, "/v1/requests", APP_SCOPED)
                .route(GET, "/v1/requests/{id}", APP_SCOPED)
                .route(DELETE, "/v1/requests/{id}", APP_SCOPED)
                .route(POST, "/v1/requests/{id}/approve", ADMIN_TOKEN)
                .route(POST, "/v1/requests/{id}/reject", ADMIN_TOKEN)
                .route(POST, "/v1/session", SESSION)
                .route(GET, "/v1/session", SESSION)
                .route(DELETE, "/v1/session", SESSION)
                .route(GET, "/v1/audit", ADMIN_TOKEN)
                .route(GET, "/v1/audit/{id}", ADMIN_TOKEN);
        // The catalog is for every signed-in caller, admin or app.
        b.route(GET, "/v1/catalog", SIGNED_IN).route(GET, "/v1/catalog/{eventType}", SIGNED_IN);
        // The console's files are public (the data behind them is not); a browser asking for / is sent to them.
        b.route(GET, "/console/**", OPEN);
        if (!embeddedRegistry) {
            b.route(GET, "/", OPEN);
        }
        if (embeddedRegistry) {
            // Reads, lookups and compatibility checks are open, as in Confluent's registry; writes need a credential.
            b.route(GET, "/", OPEN)
                    .route(GET, "/schemas/types", OPEN)
                    .route(GET, "/schemas/ids/{id}", OPEN)
                    .route(GET, "/schemas/ids/{id}/schema", OPEN)
                    .route(GET, "/schemas/ids/{id}/versions", OPEN)
                    .route(GET, "/schemas/ids/{id}/subjects", OPEN)
                    .route(GET, "/subjects", OPEN)
                    .route(GET, "/subjects/{subject}/versions", OPEN)
                    .route(GET, "/subjects/{subject}/versions/{version}", OPEN)
                    .route(GET, "/subjects/{subject}/versions/{version}/schema", OPEN)
                    .route(POST, "/subjects/{subject}", OPEN)
                    .route(GET, "/config", OPEN)
                    .route(GET, "/config/{subject}", OPEN)
                    .route(POST, "/compatibility/subjects/{subject}/versions", OPEN)
                    .route(POST, "/compatibility/subjects/{subject}/versions/{version}", OPEN)
                    .route(POST, "/subjects/{subject}/versions", REGISTRY_WRITE)
                    .route(DELETE, "/subjects/{subject}", REGISTRY_WRITE)
                    .route(DELETE, "/subjects/{subject}/versions/{version}", REGISTRY_WRITE)
                    .route(PUT, "/config", REGISTRY_WRITE)
                    .route(PUT, "/config/{subject}", REGISTRY_WRITE)
                    .route(DELETE, "/config/{subject}", REGISTRY_WRITE);
        }
        return b.build();
    }
}
