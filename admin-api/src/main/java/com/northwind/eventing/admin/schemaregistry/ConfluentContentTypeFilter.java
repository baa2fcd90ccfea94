package com.northwind.eventing.admin.schemaregistry;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Confluent's schema registry client sends its weighted Accept list as the Content-Type
 * ({@code application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, ...}), and some tools
 * send none or {@code application/octet-stream}. Confluent's server takes all of these as JSON; so does this filter,
 * for the registry's paths only.
 */
@Component
@EmbeddedRegistry
// After the edge's guards and allow-list (HttpEdge.ROUTES_ORDER): a refused request is never rewritten.
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ConfluentContentTypeFilter extends OncePerRequestFilter {
    private static final String JSON = "application/vnd.schemaregistry.v1+json";

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.startsWith("/subjects")
                || path.startsWith("/schemas")
                || path.startsWith("/config")
                || path.startsWith("/compatibility")
                || path.startsWith("/mode"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String contentType = request.getContentType();
        boolean hasBody = request.getContentLengthLong() != 0;
        if (hasBody
                && (contentType == null
                        || contentType.contains(",")
                        || contentType.startsWith("application/octet-stream"))) {
            chain.doFilter(new JsonContentType(request), response);
        } else {
            chain.doFilter(request, response);
        }
    }

    private static final class JsonContentType extends HttpServletRequestWrapper {
        JsonContentType(HttpServletRequest request) {
            super(request);
        }

        @Override
        public String getContentType() {
            return JSON;
        }

        @Override
        public String getHeader(String name) {
            return "content-type".equalsIgnoreCase(name) ? JSON : super.getHeader(name);
        }

        @Override
        public Enumeration<String> getHeaders(String name) {
            return "content-type".equalsIgnoreCase(name)
                    ? Collections.enumeration(java.util.List.of(JSON))
                    : super.getHeaders(name);
        }
    }
}
