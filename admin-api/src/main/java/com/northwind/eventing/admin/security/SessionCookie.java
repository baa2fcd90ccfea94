package com.northwind.eventing.admin.security;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;

/**
 * The session cookie: host-only (no Domain), for the whole service, out of the page's scripts' reach, never sent on a
 * request another site starts, and only over TLS when the request came over it. Written by hand: the Servlet API has
 * no SameSite.
 */
final class SessionCookie {
    private SessionCookie() {}

    /** The session id the request carries, or null. */
    static String of(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return null;
        }
        for (Cookie c : cookies) {
            if (ConsoleSessions.COOKIE.equals(c.getName())) {
                return c.getValue();
            }
        }
        return null;
    }

    static void set(HttpServletRequest request, HttpServletResponse response, String sessionId) {
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleSessions.COOKIE + "=" + sessionId + attributes(request));
    }

    static void clear(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, ConsoleSessions.COOKIE + "=; Max-Age=0" + attributes(request));
    }

    private static String attributes(HttpServletRequest request) {
        return "; Path=/; HttpOnly; SameSite=Strict" + (request.isSecure() ? "; Secure" : "");
    }
}
