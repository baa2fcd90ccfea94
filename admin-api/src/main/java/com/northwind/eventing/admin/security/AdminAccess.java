package com.northwind.eventing.admin.security;

/** What a route of admin-api requires of its caller. */
public enum AdminAccess {
    /** Anyone: the registry's reads, the health, info and metrics endpoints, the root. */
    OPEN,
    /** The admin (its token, or a console session signed in with it); an app is answered 403. */
    ADMIN_TOKEN,
    /** The admin or any app (its token or a session): reading the catalog. */
    SIGNED_IN,
    /**
     * The admin, or an app for its own resources only: the route lets any app in and its handler decides, answering
     * another app's resource as absent (404) or refusing (403); see {@link Caller#mayActFor}.
     */
    APP_SCOPED,
    /** The console's sign-in ({@code /v1/session}): POST open, GET and DELETE with a live session cookie. */
    SESSION,
    /**
     * A registry write: the admin token for user subjects and the global config, the service token for everything
     * including the platform's subjects ({@code eventing.*}); see {@link RegistryWrites}.
     */
    REGISTRY_WRITE
}
