package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.web.AllowListFilter;
import com.northwind.eventing.web.testing.HandlerRoutes;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.web.context.WebApplicationContext;

/**
 * Holds admin-api's allow-list and what Spring actually serves to each other, on the running application: every
 * handler is on the list with the credential decided for it, and every entry has a handler. A new endpoint fails here
 * until it is on the list and in the table below.
 */
@ExtendWith(KafkaClusterExtension.class)
class RouteAllowListIT {
    private static final Map<String, AdminAccess> ADMIN_API = Map.ofEntries(
            Map.entry("GET /actuator/health", AdminAccess.OPEN),
            Map.entry("GET /actuator/health/**", AdminAccess.OPEN),
            Map.entry("GET /actuator/info", AdminAccess.OPEN),
            Map.entry("GET /actuator/prometheus", AdminAccess.OPEN),
            Map.entry("GET /openapi.json", AdminAccess.OPEN),
            Map.entry("GET /openapi.yaml", AdminAccess.OPEN),
            Map.entry("GET /openapi/intake.json", AdminAccess.OPEN),
            Map.entry("GET /openapi/intake.yaml", AdminAccess.OPEN),
            Map.entry("POST /v1/event-types", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/event-types", AdminAccess.SIGNED_IN),
            Map.entry("GET /v1/event-types/{eventType}", AdminAccess.SIGNED_IN),
            Map.entry("PUT /v1/event-types/{eventType}", AdminAccess.ADMIN_TOKEN),
            Map.entry("POST /v1/apps", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/apps", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/apps/{id}", AdminAccess.APP_SCOPED),
            Map.entry("PUT /v1/apps/{id}", AdminAccess.ADMIN_TOKEN),
            Map.entry("DELETE /v1/apps/{id}", AdminAccess.ADMIN_TOKEN),
            Map.entry("POST /v1/apps/{id}/kafka-credentials", AdminAccess.APP_SCOPED),
            Map.entry("POST /v1/apps/{id}/tokens", AdminAccess.APP_SCOPED),
            Map.entry("DELETE /v1/apps/{id}/tokens/{tokenId}", AdminAccess.APP_SCOPED),
            Map.entry("POST /v1/subscriptions", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/subscriptions", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/subscriptions/{id}", AdminAccess.APP_SCOPED),
            Map.entry("PATCH /v1/subscriptions/{id}", AdminAccess.APP_SCOPED),
            Map.entry("DELETE /v1/subscriptions/{id}", AdminAccess.APP_SCOPED),
            Map.entry("POST /v1/aggregations", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/aggregations", AdminAccess.SIGNED_IN),
            Map.entry("GET /v1/aggregations/{id}", AdminAccess.SIGNED_IN),
            Map.entry("PUT /v1/aggregations/{id}", AdminAccess.ADMIN_TOKEN),
            Map.entry("DELETE /v1/aggregations/{id}", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/events", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/events/{eventId}", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/events/{eventId}/deliveries", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/subscriptions/{id}/deliveries", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/subscriptions/{id}/lag", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/deliveries", AdminAccess.ADMIN_TOKEN),
            Map.entry("POST /v1/subscriptions/backtest", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/transactions/{transactionId}", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/stats", AdminAccess.ADMIN_TOKEN),
            Map.entry("POST /v1/replays", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/replays", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/replays/{id}", AdminAccess.APP_SCOPED),
            Map.entry("DELETE /v1/replays/{id}", AdminAccess.APP_SCOPED),
            Map.entry("POST /v1/requests", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/requests", AdminAccess.APP_SCOPED),
            Map.entry("GET /v1/requests/{id}", AdminAccess.APP_SCOPED),
            Map.entry("DELETE /v1/requests/{id}", AdminAccess.APP_SCOPED),
            Map.entry("POST /v1/requests/{id}/approve", AdminAccess.ADMIN_TOKEN),
            Map.entry("POST /v1/requests/{id}/reject", AdminAccess.ADMIN_TOKEN),
            Map.entry("POST /v1/session", AdminAccess.SESSION),
            Map.entry("GET /v1/session", AdminAccess.SESSION),
            Map.entry("DELETE /v1/session", AdminAccess.SESSION),
            Map.entry("GET /v1/audit", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/audit/{id}", AdminAccess.ADMIN_TOKEN),
            Map.entry("GET /v1/catalog", AdminAccess.SIGNED_IN),
            Map.entry("GET /v1/catalog/{eventType}", AdminAccess.SIGNED_IN),
            Map.entry("GET /console/**", AdminAccess.OPEN));

    private static final Map<String, AdminAccess> REGISTRY = Map.ofEntries(
            Map.entry("GET /", AdminAccess.OPEN),
            Map.entry("GET /schemas/types", AdminAccess.OPEN),
            Map.entry("GET /schemas/ids/{id}", AdminAccess.OPEN),
            Map.entry("GET /schemas/ids/{id}/schema", AdminAccess.OPEN),
            Map.entry("GET /schemas/ids/{id}/versions", AdminAccess.OPEN),
            Map.entry("GET /schemas/ids/{id}/subjects", AdminAccess.OPEN),
            Map.entry("GET /subjects", AdminAccess.OPEN),
            Map.entry("GET /subjects/{subject}/versions", AdminAccess.OPEN),
            Map.entry("GET /subjects/{subject}/versions/{version}", AdminAccess.OPEN),
            Map.entry("GET /subjects/{subject}/versions/{version}/schema", AdminAccess.OPEN),
            Map.entry("POST /subjects/{subject}", AdminAccess.OPEN),
            Map.entry("GET /config", AdminAccess.OPEN),
            Map.entry("GET /config/{subject}", AdminAccess.OPEN),
            Map.entry("POST /compatibility/subjects/{subject}/versions", AdminAccess.OPEN),
            Map.entry("POST /compatibility/subjects/{subject}/versions/{version}", AdminAccess.OPEN),
            Map.entry("POST /subjects/{subject}/versions", AdminAccess.REGISTRY_WRITE),
            Map.entry("DELETE /subjects/{subject}", AdminAccess.REGISTRY_WRITE),
            Map.entry("DELETE /subjects/{subject}/versions/{version}", AdminAccess.REGISTRY_WRITE),
            Map.entry("PUT /config", AdminAccess.REGISTRY_WRITE),
            Map.entry("PUT /config/{subject}", AdminAccess.REGISTRY_WRITE),
            Map.entry("DELETE /config/{subject}", AdminAccess.REGISTRY_WRITE));

    @Test
    void shouldHaveEveryHandlerOnTheAllowListWithItsCredentialWhenRegistryIsEmbedded(KafkaBroker kafka) {
        // given
        try (AdminApiServer api = new AdminApiServer(kafka).start()) {
            Map<String, AdminAccess> expected = new TreeMap<>(ADMIN_API);
            expected.putAll(REGISTRY);

            // when
            Set<String> handlers = HandlerRoutes.of(api.context());
            Map<String, AdminAccess> allowList = allowList(api.context());

            // then
            assertThat(handlers).isEqualTo(expected.keySet());
            assertThat(allowList).isEqualTo(expected);
            assertThat(servletMappings(api.context())).isEqualTo(Set.of("dispatcherServlet /"));
        }
    }

    @Test
    void shouldServeNoRegistryRouteWhenRegistryIsExternal(KafkaBroker kafka) {
        // given
        try (AdminApiServer api =
                new AdminApiServer(kafka, "--eventing.schema-registry.url=http://127.0.0.1:18085").start()) {

            Map<String, AdminAccess> expected = new TreeMap<>(ADMIN_API);
            expected.put("GET /", AdminAccess.OPEN);

            // when
            Set<String> handlers = HandlerRoutes.of(api.context());
            Map<String, AdminAccess> allowList = allowList(api.context());

            // then
            assertThat(handlers).isEqualTo(expected.keySet());
            assertThat(allowList).isEqualTo(expected);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, AdminAccess> allowList(ApplicationContext context) {
        Map<String, AdminAccess> list = new TreeMap<>();
        for (FilterRegistrationBean<?> r :
                context.getBeansOfType(FilterRegistrationBean.class).values()) {
            if (r.getFilter() instanceof AllowListFilter<?> f) {
                ((AllowListFilter<AdminAccess>) f)
                        .routes()
                        .routes()
                        .forEach(route -> list.put(route.describe(), route.access()));
            }
        }
        return list;
    }

    static Set<String> servletMappings(ApplicationContext context) {
        ServletContext servlets = ((WebApplicationContext) context).getServletContext();
        return servlets.getServletRegistrations().values().stream()
                .filter(r -> r.getMappings() != null && !r.getMappings().isEmpty())
                .flatMap(r -> mappings(r).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> mappings(ServletRegistration r) {
        return r.getMappings().stream().map(m -> r.getName() + " " + m).collect(Collectors.toSet());
    }
}
