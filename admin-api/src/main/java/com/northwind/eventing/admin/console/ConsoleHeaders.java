package com.northwind.eventing.admin.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's answers carry a strict Content-Security-Policy (only this origin's scripts, styles and connections;
 * no inline code, no framing) and no referrer; and a browser asking for {@code /} is sent to the console, while any
 * other client (Confluent's registry clients above all) keeps getting the registry's root. Runs after the allow-list,
 * so it only ever sees routes the table lets through.
 */
final class ConsoleHeaders extends OncePerRequestFilter {
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final String HOME = ConsoleController.PREFIX + "/";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean console = path.equals(ConsoleController.PREFIX) || path.startsWith(HOME);
        boolean browserAtRoot = path.equals("/") && wantsHtml(request);
        if (console || browserAtRoot) {
            response.setHeader("Content-Security-Policy", CSP);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "no-referrer");
            response.setHeader("X-Frame-Options", "DENY");
        }
        if (browserAtRoot) {
            response.setStatus(HttpServletResponse.SC_FOUND);
            response.setHeader(HttpHeaders.LOCATION, HOME);
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            return;
        }
        chain.doFilter(request, response);
    }

    /** A browser navigating names text/html in Accept; registry clients and curl do not. */
    private static boolean wantsHtml(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null) {
            return false;
        }
        try {
            return MediaType.parseMediaTypes(accept).stream()
                    .anyMatch(m -> m.getQualityValue() > 0 && MediaType.TEXT_HTML.equalsTypeAndSubtype(m));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
