package com.northwind.eventing.admin.security;

import com.northwind.eventing.admin.problem.ProblemTypes;
import com.northwind.eventing.web.AllowListFilter;
import com.northwind.eventing.web.Problems;
import com.northwind.eventing.web.RouteTable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * admin-api's allow-list ({@link AdminRoutes}): the admin API needs the admin token (and says 401 for any path under
 * {@code /v1} without it, before routing, so its routes cannot be enumerated), registry writes need a credential
 * ({@link RegistryWrites}), and what is on no route is not served.
 */
final class AdminRouteFilter extends AllowListFilter<AdminAccess> {
    private static final Logger log = LoggerFactory.getLogger(AdminRouteFilter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REGISTRY_CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final Credentials credentials;
    private final RegistryWrites registryWrites;

    AdminRouteFilter(RouteTable<AdminAccess> routes, Credentials credentials, RegistryWrites registryWrites) {
        super(routes);
        this.credentials = credentials;
        this.registryWrites = registryWrites;
    }

    @Override
    protected boolean beforeRouting(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean adminApi = path.equals(AdminRoutes.ADMIN_PREFIX) || path.startsWith(AdminRoutes.ADMIN_PREFIX + "/");
        return !adminApi || admin(request, response);
    }

    @Override
    protected boolean authorize(
            RouteTable.Found<AdminAccess> found, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return switch (found.route().access()) {
            case OPEN -> true;
            case ADMIN_TOKEN -> admin(request, response);
            case REGISTRY_WRITE -> registryWrite(found.variables().get("subject"), request, response);
        };
    }

    private boolean admin(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String refusal;
        if (header == null || header.isBlank()) {
            refusal = "the Authorization header is missing; send Authorization: Bearer <admin token>";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refusal = "the Authorization header must use the Bearer scheme";
        } else if (!credentials.isAdmin(header.substring(7).trim())) {
            refusal = "the admin token is not valid";
        } else {
            Caller.admin(false).attachTo(request);
            return true;
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"eventing-admin\"");
        Problems.write(request, response, ProblemTypes.UNAUTHORIZED.problem(refusal));
        return false;
    }

    private boolean registryWrite(String subject, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Credentials.Holder holder = credentials.holder(request.getHeader(HttpHeaders.AUTHORIZATION));
        RegistryWrites.Decision decision = registryWrites.decide(holder, subject);
        if (decision.allowed()) {
            switch (holder) {
                case ADMIN -> Caller.admin(false).attachTo(request);
                case SERVICE -> Caller.service().attachTo(request);
                default -> {} // an open write: nobody signed in
            }
            return true;
        }
        log.info(
                "Refused registry write {} {} ({}): {}",
                request.getMethod(),
                request.getRequestURI(),
                holder,
                decision.status());
        if (decision.status() == 401) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"eventing-schema-registry\"");
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"eventing-schema-registry\"");
        }
        // Confluent's error shape on the registry's paths: its clients parse it.
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error_code", decision.errorCode());
        body.put("message", decision.message());
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(decision.status());
        response.setContentType(REGISTRY_CONTENT_TYPE);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
        return false;
    }
}
