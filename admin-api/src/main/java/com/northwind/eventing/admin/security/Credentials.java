package com.northwind.eventing.admin.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The tokens admin-api knows, compared in constant time: the admin token, and the platform's service token when one is
 * configured. A token comes as {@code Bearer <token>} or, as Confluent's clients send it with {@code USER_INFO},
 * {@code Basic base64(user:token)} with any user name.
 */
final class Credentials {
    /** Whose token a request carries. */
    enum Holder {
        NONE,
        INVALID,
        ADMIN,
        SERVICE
    }

    private final byte[] admin;
    private final byte[] service;

    Credentials(String adminToken, String serviceToken) {
        this.admin = adminToken.getBytes(StandardCharsets.UTF_8);
        this.service = serviceToken == null ? null : serviceToken.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the token is the admin token. */
    boolean isAdmin(String token) {
        return MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), admin);
    }

    /** Who holds the Bearer or Basic credential of this Authorization header. */
    Holder holder(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Holder.NONE;
        }
        String token = token(authorization.trim());
        if (token == null || token.isEmpty()) {
            return Holder.INVALID;
        }
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        // Both comparisons always run, so the time taken says nothing of which token was close.
        boolean isAdmin = MessageDigest.isEqual(given, admin);
        boolean isService = service != null && MessageDigest.isEqual(given, service);
        return isService ? Holder.SERVICE : isAdmin ? Holder.ADMIN : Holder.INVALID;
    }

    private static String token(String authorization) {
        if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return authorization.substring(7).trim();
        }
        if (authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            String userInfo;
            try {
                userInfo = new String(
                        Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = userInfo.indexOf(':');
            return colon < 0 ? null : userInfo.substring(colon + 1);
        }
        return null;
    }
}
