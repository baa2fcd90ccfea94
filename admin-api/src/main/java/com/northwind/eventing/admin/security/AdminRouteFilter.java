package com.northwind.eventing.admin.security;

import com.northwind.eventing.admin.app.AppService;
import com.northwind.eventing.admin.problem.ProblemTypes;
import com.northwind.eventing.web.AllowListFilter;
import com.northwind.eventing.web.Problems;
import com.northwind.eventing.web.RouteTable;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.json.JsonMapper;

/**
 * admin-api's allow-list ({@link AdminRoutes}). The admin API authenticates every request under {@code /v1} before
 * routing (so its routes cannot be enumerated): an {@code Authorization: Bearer} header with the admin token or an
 * app's token, or else a console session cookie, whose state-changing requests also need the session's CSRF token and,
 * when the browser names one, this service's {@code Origin}. A route then decides what the caller may do there
 * ({@link AdminAccess}); registry writes need their own credential ({@link RegistryWrites}) and never take the cookie;
 * what is on no route is not served.
 */
final class AdminRouteFilter extends AllowListFilter<AdminAccess> {
    static final String SESSION_PATH = AdminRoutes.ADMIN_PREFIX + "/session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    /** The request attribute holding the session id of a request to {@code /v1/session} that carries a live one. */
    static final String SESSION_ID = AdminRouteFilter.class.getName() + ".session";

    private static final Logger log = LoggerFactory.getLogger(AdminRouteFilter.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String REGISTRY_CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Credentials credentials;
    private final RegistryWrites registryWrites;
    private final ObjectProvider<AppService> apps;
    private final ConsoleSessions sessions;

    AdminRouteFilter(
            RouteTable<AdminAccess> routes,
            Credentials credentials,
            RegistryWrites registryWrites,
            ObjectProvider<AppService> apps,
            ConsoleSessions sessions) {
        super(routes);
        this.credentials = credentials;
        this.registryWrites = registryWrites;
        this.apps = apps;
        this.sessions = sessions;
    }

    @Override
    protected boolean beforeRouting(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean adminApi = path.equals(AdminRoutes.ADMIN_PREFIX) || path.startsWith(AdminRoutes.ADMIN_PREFIX + "/");
        if (!adminApi) {
            return true;
        }
        if (path.equals(SESSION_PATH)) {
            // The sign-in itself: its route decides (POST is open); nothing said about a session may be cached.
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            return true;
        }
        Caller caller = authenticate(request, response);
        if (caller == null) {
            return false;
        }
        caller.attachTo(request);
        return true;
    }

    @Override
    protected boolean authorize(
            RouteTable.Found<AdminAccess> found, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        return switch (found.route().access()) {
            case OPEN -> true;
            case ADMIN_TOKEN -> adminOnly(found, request, response);
            // Authenticated before routing, as an admin or an app (the only callers the admin API knows); an app's
            // own resources are told from another's by the handler.
            case SIGNED_IN, APP_SCOPED -> signedIn(request, response);
            case SESSION -> session(request, response);
            case REGISTRY_WRITE -> registryWrite(found.variables().get("subject"), request, response);
        };
    }

    /**
     * The caller of an admin API request: the Authorization header's when there is one (it wins over a cookie), else
     * the session cookie's; null when refused, the answer written.
     */
    private Caller authenticate(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            return bearer(header, request, response);
        }
        String cookie = SessionCookie.of(request);
        if (cookie == null) {
            unauthorized(
                    request,
                    response,
                    "no credential: send Authorization: Bearer <admin or app token>, or sign in with POST "
                            + SESSION_PATH);
            return null;
        }
        ConsoleSessions.Session session = liveSession(cookie, request, response);
        if (session == null || !sameSite(session, request, response)) {
            return null;
        }
        return session.caller();
    }

    private Caller bearer(String header, HttpServletRequest request, HttpServletResponse response) throws IOException {
        String refusal;
        if (header.isBlank()) {
            refusal = "the Authorization header is empty; send Authorization: Bearer <admin or app token>";
        } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refusal = "the Authorization header must use the Bearer scheme";
        } else {
            String token = header.substring(7).trim();
            if (credentials.isAdmin(token)) {
                return Caller.admin(false);
            }
            Optional<AppService.TokenHolder> holder = apps.getObject().holderOf(token);
            if (holder.isPresent()) {
                return Caller.app(holder.get().appId(), false);
            }
            refusal = "the token is not valid: neither the admin token nor a token of a registered app";
        }
        unauthorized(request, response, refusal);
        return null;
    }

    /** The cookie's session when it is live and its token still valid; null when refused, the cookie cleared. */
    private ConsoleSessions.Session liveSession(String cookie, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Optional<ConsoleSessions.Session> found = sessions.use(cookie);
        if (found.isPresent()) {
            ConsoleSessions.Session s = found.get();
            if (s.tokenId() == null || apps.getObject().holds(s.caller().appId(), s.tokenId())) {
                return s;
            }
            sessions.end(cookie);
            log.info(
                    "Ended the console session of {}: token {} is revoked or the app deleted",
                    s.caller().name(),
                    s.tokenId());
        }
        SessionCookie.clear(request, response);
        unauthorized(
                request, response, "the session has ended or is not valid; sign in again with POST " + SESSION_PATH);
        return null;
    }

    /**
     * A cookie rides along on any request the browser makes, so a state-changing one must prove it comes from the
     * console: the session's CSRF token in {@value #CSRF_HEADER}, and this service's origin when the browser names one.
     */
    private boolean sameSite(ConsoleSessions.Session session, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (!STATE_CHANGING.contains(request.getMethod())) {
            return true;
        }
        String given = request.getHeader(CSRF_HEADER);
        String refusal = null;
        if (given == null || given.isEmpty()) {
            refusal = "a " + request.getMethod() + " with the session cookie needs header " + CSRF_HEADER
                    + " with the session's csrfToken (GET " + SESSION_PATH + ")";
        } else if (!MessageDigest.isEqual(
                given.getBytes(StandardCharsets.UTF_8), session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
            refusal = "header " + CSRF_HEADER + " is not this session's csrfToken";
        } else if (!sameOrigin(request)) {
            refusal = "the request's Origin is not this service's";
        }
        if (refusal == null) {
            return true;
        }
        log.info(
                "Refused {} {} with the session of {}: {}",
                request.getMethod(),
                request.getRequestURI(),
                session.caller().name(),
                refusal);
        Problems.write(request, response, ProblemTypes.CSRF.problem(refusal));
        return false;
    }

    /** Whether the request's Origin, when there is one, has the request's scheme, host and port. */
    static boolean sameOrigin(HttpServletRequest request) {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null) {
            return true;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false; // "null", an opaque origin: a sandboxed frame, a file, a redirect from elsewhere
        }
        String scheme = request.getScheme();
        return uri.getScheme().equalsIgnoreCase(scheme)
                && uri.getHost().equalsIgnoreCase(request.getServerName())
                && port(uri.getPort(), uri.getScheme()) == port(request.getServerPort(), scheme);
    }

    private static int port(int port, String scheme) {
        return port != -1 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private boolean adminOnly(
            RouteTable.Found<AdminAccess> found, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Caller caller = attached(request);
        if (caller == null) {
            return unauthorized(request, response, "no credential");
        }
        if (caller.isAdmin()) {
            return true;
        }
        String detail = found.route().describe() + " is for the admin only; "
                + (caller.kind() == Caller.Kind.APP ? "app " + caller.appId() : "the " + caller.name())
                + " may not call it";
        log.info("Refused {} {} to {}", request.getMethod(), found.route().describe(), caller.name());
        Problems.write(request, response, ProblemTypes.FORBIDDEN.problem(detail));
        return false;
    }

    private boolean signedIn(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = attached(request);
        if (caller != null && (caller.kind() == Caller.Kind.ADMIN || caller.kind() == Caller.Kind.APP)) {
            return true;
        }
        return unauthorized(request, response, "no credential");
    }

    /** {@code /v1/session}: the sign-in is open; reading and ending a session need a live one. */
    private boolean session(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if ("POST".equals(request.getMethod())) {
            if (sameOrigin(request)) {
                return true;
            }
            // A sign-in another site starts would sign the browser in as someone of the other site's choosing.
            log.info("Refused a console sign-in from another origin");
            Problems.write(request, response, ProblemTypes.CSRF.problem("the request's Origin is not this service's"));
            return false;
        }
        String cookie = SessionCookie.of(request);
        if (cookie == null) {
            return unauthorized(request, response, "no session: sign in with POST " + SESSION_PATH);
        }
        ConsoleSessions.Session session = liveSession(cookie, request, response);
        if (session == null || !sameSite(session, request, response)) {
            return false;
        }
        session.caller().attachTo(request);
        request.setAttribute(SESSION_ID, cookie);
        return true;
    }

    private static Caller attached(HttpServletRequest request) {
        return request.getAttribute(Caller.ATTRIBUTE) instanceof Caller c ? c : null;
    }

    private static boolean unauthorized(HttpServletRequest request, HttpServletResponse response, String refusal)
            throws IOException {
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
