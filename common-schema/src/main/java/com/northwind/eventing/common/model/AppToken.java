package com.northwind.eventing.common.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * An app's bearer token as the registry keeps it: never the token itself, only its SHA-256.
 *
 * @param id a short public id, to name the token when revoking it
 * @param sha256 lower-case hex SHA-256 of the token's UTF-8 bytes
 */
public record AppToken(String id, String sha256, Instant createdAt) {
    /** The lower-case hex SHA-256 of a token's UTF-8 bytes: what the registry keeps and what a token is looked up by. */
    public static String sha256Of(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
