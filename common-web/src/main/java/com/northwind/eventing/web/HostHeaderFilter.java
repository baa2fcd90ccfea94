package com.northwind.eventing.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers only requests whose {@code Host} names this service ({@code eventing.http.allowed-hosts}), against DNS
 * rebinding: a page whose name is made to resolve to 127.0.0.1 reaches the loopback listener, but its requests still
 * carry that name. Anything else is a 400 {@code malformed-request} problem naming the host.
 */
public final class HostHeaderFilter extends OncePerRequestFilter {
    private final Set<String> allowed;
    private final boolean any;

    public HostHeaderFilter(HttpEdgeProperties properties) {
        this.allowed = Set.copyOf(properties.allowedHosts());
        this.any = allowed.contains("*");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (any) {
            chain.doFilter(request, response);
            return;
        }
        String detail;
        if (request.getHeader(HttpHeaders.HOST) == null) {
            detail = "the request has no Host header";
        } else {
            // Tomcat has checked the header's syntax and that an absolute request target names the same host.
            String host = HttpEdgeProperties.normalize(request.getServerName());
            if (allowed.contains(host)) {
                chain.doFilter(request, response);
                return;
            }
            detail = "the host '" + host + "' is not served here (eventing.http.allowed-hosts)";
        }
        Problems.write(request, response, Problems.of(400, "malformed-request", "Malformed request", detail));
    }
}
