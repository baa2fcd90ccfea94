package com.northwind.eventing.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with a 400 {@code malformed-request} problem, every request whose raw path is not canonical
 * ({@link CanonicalPath}), before anything else looks at it: authorization then sees the structure Spring routes.
 */
public final class CanonicalPathFilter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String problem = CanonicalPath.problem(request.getRequestURI());
        if (problem != null) {
            Problems.write(request, response, Problems.of(400, "malformed-request", "Malformed request", problem));
            return;
        }
        chain.doFilter(request, response);
    }
}
