package com.northwind.eventing.standalone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin token of the standalone platform: {@code EVENTING_ADMIN_TOKEN} when set, else the one in
 * {@code <data-dir>/admin-token}, generated (256 random bits, readable by the owner only) on first start.
 */
final class AdminToken {
    static final String ENV = "EVENTING_ADMIN_TOKEN";

    private AdminToken() {}

    record Resolved(String token, String source) {
        boolean fromEnvironment() {
            return source.startsWith("the environment");
        }
    }

    static Resolved resolve(String fromEnv, Path dataDir) throws IOException {
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Resolved(fromEnv.trim(), "the environment variable " + ENV);
        }
        Path file = dataDir.resolve("admin-token");
        if (Files.exists(file)) {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (!token.isEmpty()) {
                return new Resolved(token, file.toString());
            }
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = "adm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createDirectories(dataDir);
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the file keeps the folder's permissions.
        }
        return new Resolved(token, file + " (generated now)");
    }
}
