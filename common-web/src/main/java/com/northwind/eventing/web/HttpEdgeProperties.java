package com.northwind.eventing.web;

import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The HTTP listener's edge settings, checked at start.
 *
 * @param allowedHosts the host names the listener answers to in the {@code Host} header, port ignored; {@code *}
 *     answers any. Default: the loopback names only ({@code localhost}, {@code 127.0.0.1}, {@code ::1}), so that a
 *     page in a browser cannot reach the service through a name it rebinds to a loopback address.
 */
@ConfigurationProperties(prefix = "eventing.http")
public record HttpEdgeProperties(List<String> allowedHosts) {
    /** The loopback names a local client uses. */
    public static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "::1");

    public HttpEdgeProperties {
        allowedHosts = allowedHosts == null || allowedHosts.isEmpty()
                ? LOOPBACK
                : allowedHosts.stream().map(HttpEdgeProperties::normalize).toList();
        for (String host : allowedHosts) {
            if (host.isEmpty()) {
                throw new IllegalArgumentException("eventing.http.allowed-hosts has an empty entry");
            }
            if (!host.equals("*") && !host.matches("[a-z0-9._:-]+")) {
                throw new IllegalArgumentException("eventing.http.allowed-hosts has '" + host
                        + "', which is not a host name or address (give names without scheme or port, or *)");
            }
        }
    }

    /** Lower case, without the brackets of an IPv6 literal. */
    static String normalize(String host) {
        String h = host == null ? "" : host.trim().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
