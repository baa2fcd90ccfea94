package com.northwind.eventing.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.ServletRequestPathUtils;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Every route a service answers: method, path pattern (Spring's {@link PathPattern}, as its handler mappings use) and
 * the credential it needs ({@code A}, the service's own kinds). A request on no route is not served at all.
 *
 * @param <A> what a route requires of the caller
 */
public final class RouteTable<A> {
    /** One route. HEAD is served wherever GET is, as Spring MVC does. */
    public record Route<A>(HttpMethod method, PathPattern pattern, A access) {
        public String describe() {
            return method.name() + " " + pattern.getPatternString();
        }
    }

    /** What the table says of a request. */
    public sealed interface Match<A> {}

    /** A route takes the request; {@code variables} are the path variables decoded, as Spring binds them. */
    public record Found<A>(Route<A> route, Map<String, String> variables) implements Match<A> {}

    /** The path is on no route. */
    public record NotFound<A>() implements Match<A> {}

    /** The path is on routes for other methods only. */
    public record MethodNotAllowed<A>(Set<HttpMethod> allowed) implements Match<A> {}

    private final List<Route<A>> routes;

    private RouteTable(List<Route<A>> routes) {
        this.routes = List.copyOf(routes);
    }

    public static <A> Builder<A> builder() {
        return new Builder<>();
    }

    public List<Route<A>> routes() {
        return routes;
    }

    /** Looks the request up by its path within the application, parsed as Spring MVC parses it. */
    public Match<A> match(HttpServletRequest request) {
        PathContainer path = ServletRequestPathUtils.parseAndCache(request).pathWithinApplication();
        return match(request.getMethod(), path);
    }

    public Match<A> match(String method, PathContainer path) {
        Set<HttpMethod> allowed = new LinkedHashSet<>();
        for (Route<A> route : routes) {
            PathPattern.PathMatchInfo info = route.pattern().matchAndExtract(path);
            if (info == null) {
                continue;
            }
            if (route.method().matches(method) || (route.method() == HttpMethod.GET && "HEAD".equals(method))) {
                return new Found<>(route, info.getUriVariables());
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new NotFound<>() : new MethodNotAllowed<>(allowed);
    }

    public static final class Builder<A> {
        private final List<Route<A>> routes = new ArrayList<>();

        private Builder() {}

        public Builder<A> route(HttpMethod method, String pattern, A access) {
            routes.add(new Route<>(method, PathPatternParser.defaultInstance.parse(pattern), access));
            return this;
        }

        public RouteTable<A> build() {
            return new RouteTable<>(routes);
        }
    }
}
