package com.northwind.eventing.admin.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The largest request body admin-api takes ({@code eventing.admin.max-request-bytes}), checked at start.
 *
 * @param maxRequestBytes 2 MiB by default, 1 KiB to 64 MiB: room for the largest schema a registry topic's 1 MB record
 *     can hold, escaped into JSON, and far below what a body could cost in memory
 */
@ConfigurationProperties(prefix = "eventing.admin")
record RequestSizeProperties(Integer maxRequestBytes) {
    static final int MIN = 1024;
    static final int MAX = 64 * 1024 * 1024;

    RequestSizeProperties {
        maxRequestBytes = maxRequestBytes == null ? 2 * 1024 * 1024 : maxRequestBytes;
        if (maxRequestBytes < MIN || maxRequestBytes > MAX) {
            throw new IllegalArgumentException("eventing.admin.max-request-bytes must be " + MIN + " to " + MAX);
        }
    }
}
