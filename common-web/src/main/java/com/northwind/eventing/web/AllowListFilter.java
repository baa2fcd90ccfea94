package com.northwind.eventing.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.stream.Collectors;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Serves only what a {@link RouteTable} lists, deciding before any handler runs: a path on no route is a 404, a listed
 * path with another method a 405 with {@code Allow}, and a route is entered only when {@link #authorize} lets the
 * caller in. Runs after {@link CanonicalPathFilter}, so the path it matches has the structure Spring routes.
 *
 * @param <A> what a route requires of the caller
 */
public abstract class AllowListFilter<A> extends org.springframework.web.filter.OncePerRequestFilter {
    private final RouteTable<A> routes;

    protected AllowListFilter(RouteTable<A> routes) {
        this.routes = routes;
    }

    public RouteTable<A> routes() {
        return routes;
    }

    @Override
    protected final void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!beforeRouting(request, response)) {
            return;
        }
        RouteTable.Match<A> match = routes.match(request);
        if (match instanceof RouteTable.Found<A> found) {
            if (authorize(found, request, response)) {
                chain.doFilter(request, response);
            }
        } else if (match instanceof RouteTable.MethodNotAllowed<A> m) {
            String allow = m.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            response.setHeader(HttpHeaders.ALLOW, allow);
            Problems.write(
                    request,
                    response,
                    Problems.of(
                            405,
                            Problems.slug(405),
                            "Method not allowed",
                            request.getMethod() + " is not served here; allowed: " + allow));
        } else {
            Problems.write(
                    request,
                    response,
                    Problems.of(404, Problems.slug(404), "Not found", "nothing is served at this path"));
        }
    }

    /**
     * A check every request passes before its route is looked up, so that what it guards cannot be enumerated; true
     * to go on, false when it has answered.
     */
    protected boolean beforeRouting(HttpServletRequest request, HttpServletResponse response) throws IOException {
        return true;
    }

    /** Whether the caller may enter the route; when not, the answer has been written. */
    protected abstract boolean authorize(
            RouteTable.Found<A> found, HttpServletRequest request, HttpServletResponse response) throws IOException;
}
