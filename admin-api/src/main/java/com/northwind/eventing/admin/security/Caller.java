package com.northwind.eventing.admin.security;

import com.northwind.eventing.admin.problem.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/**
 * Who made a request, as admin-api's route filter established it: the platform admin, an app (by its own token), or
 * the platform's services (by the service token, on registry writes). Controllers and the audit log read it from the
 * request with {@link #of}; the filter is the only place that sets it.
 *
 * @param kind the kind of credential
 * @param appId the app's id when {@code kind} is {@link Kind#APP}, otherwise null
 * @param session whether the credential came from a console session cookie rather than an Authorization header
 */
public record Caller(Kind kind, String appId, boolean session) {
    /** The kinds of credential admin-api accepts. */
    public enum Kind {
        ADMIN,
        APP,
        SERVICE
    }

    static final String ATTRIBUTE = Caller.class.getName();

    public Caller {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.APP) != (appId != null)) {
            throw new IllegalArgumentException("an app id goes with an app caller, and only with one");
        }
    }

    public static Caller admin(boolean session) {
        return new Caller(Kind.ADMIN, null, session);
    }

    public static Caller app(String appId, boolean session) {
        return new Caller(Kind.APP, appId, session);
    }

    public static Caller service() {
        return new Caller(Kind.SERVICE, null, false);
    }

    /**
     * The caller the route filter put on this request.
     *
     * @throws IllegalStateException on a request the filter let through without a credential (an open route): a
     *     handler that asks there is a bug, and must not be answered as if someone had signed in
     */
    public static Caller of(HttpServletRequest request) {
        Object caller = request.getAttribute(ATTRIBUTE);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("no caller on a request to " + request.getRequestURI());
    }

    /** Whether this is the platform admin. */
    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    /** The caller as the audit log and log lines name it: {@code admin}, {@code app:<id>} or {@code service}. */
    public String name() {
        return switch (kind) {
            case ADMIN -> "admin";
            case APP -> "app:" + appId;
            case SERVICE -> "service";
        };
    }

    /**
     * Whether this caller may act on the resources of the app {@code appId}: the admin on any app's, an app on its own
     * only.
     */
    public boolean mayActFor(String appId) {
        return kind == Kind.ADMIN || (kind == Kind.APP && this.appId.equals(appId));
    }

    /**
     * Refuses (403) an app that asks for another app. Whether that other app exists is not its business, so the answer
     * is the same either way.
     *
     * @param action what was asked, for the message: "create subscriptions" (for app ...)
     */
    public void requireMayActFor(String appId, String action) {
        if (!mayActFor(appId)) {
            throw new ForbiddenException(
                    name() + " may not " + action + " for app " + appId + ": an app acts for itself only");
        }
    }

    void attachTo(HttpServletRequest request) {
        request.setAttribute(ATTRIBUTE, this);
    }
}
