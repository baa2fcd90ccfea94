package com.northwind.eventing.admin.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the console links an event's trace ({@code eventing.console.trace-url}), checked at start: none by default;
 * otherwise an absolute http(s) URL holding {@code {traceId}}, which the console replaces with a 32-hex trace id. It
 * reaches the console in the session's answer, so it is never secret: do not put credentials in it.
 *
 * @param traceUrl the trace UI's URL template, e.g. {@code https://tempo.example.com/trace/{traceId}}, or null
 */
@ConfigurationProperties(prefix = "eventing.console")
record ConsoleTraceProperties(String traceUrl) {
    static final String PLACEHOLDER = "{traceId}";
    private static final String KEY = "eventing.console.trace-url";

    ConsoleTraceProperties {
        traceUrl = traceUrl == null || traceUrl.isBlank() ? null : traceUrl;
        if (traceUrl != null) {
            check(traceUrl);
        }
    }

    private static void check(String template) {
        if (template.length() > 2000) {
            throw new IllegalArgumentException(KEY + " must be at most 2000 characters");
        }
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException(KEY + " must contain " + PLACEHOLDER);
        }
        URI uri;
        try {
            // The braces are not URI characters: the template is checked as the URL it becomes.
            uri = new URI(template.replace(PLACEHOLDER, "0af7651916cd43dd8448eb211c80319c"));
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(KEY + " is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(KEY + " must be an absolute http or https URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(KEY + " must not hold credentials: the console shows it");
        }
    }
}
