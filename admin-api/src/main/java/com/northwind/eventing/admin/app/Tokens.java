package com.northwind.eventing.admin.app;

import com.northwind.eventing.common.model.AppToken;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * App tokens: 256 random bits, URL-safe, with a recognisable prefix so that leaked tokens are easy to find in code
 * and logs. Only the SHA-256 is stored: the tokens carry enough entropy that a fast hash is safe.
 */
final class Tokens {
    static final String PREFIX = "evt_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A short public id for a token, to name it when listing or revoking. */
    static String newTokenId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "tok_" + HexFormat.of().formatHex(bytes);
    }

    static String sha256(String token) {
        return AppToken.sha256Of(token);
    }
}
