package com.northwind.eventing.admin.security;

/** What a route of admin-api requires of its caller. */
public enum AdminAccess {
    /** Anyone: the registry's reads, the health, info and metrics endpoints, the root. */
    OPEN,
    /** {@code Authorization: Bearer <admin token>}: the admin API. */
    ADMIN_TOKEN,
    /**
     * A registry write: the admin token for user subjects and the global config, the service token for everything
     * including the platform's subjects ({@code eventing.*}); see {@link RegistryWrites}.
     */
    REGISTRY_WRITE
}
