package com.northwind.eventing.standalone;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin token of the standalone platform: {@code EVENTING_ADMIN_TOKEN} when set, else the one in
 * {@code <data-dir>/admin-token}, generated (256 random bits, readable by the owner only) on first start.
 */
final class AdminToken {
    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
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
                ownerOnly(file);
                return new Resolved(token, file.toString());
            }
        }
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        String token = "adm_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        write(file, token + "\n");
        return new Resolved(token, file + " (generated now)");
    }

    /**
     * Writes the file whole or not at all, and never readable by others: a temporary file created {@code 0600} beside
     * it (so no moment exists when it has wider permissions), written, forced to disk, then renamed over the target in
     * one step, so that a crash leaves either no token or the whole token, never an empty or partial one.
     */
    static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", DataDir.ownerOnlyFile(dir));
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** An existing token file readable by others (written by an older version, or copied in) is narrowed to 0600. */
    private static void ownerOnly(Path file) throws IOException {
        if (!DataDir.posix(file)) {
            return;
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(file);
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        if (!current.equals(ownerOnly)) {
            Files.setPosixFilePermissions(file, ownerOnly);
            log.warn(
                    "The admin token file {} was {}; it is now rw-------",
                    file,
                    PosixFilePermissions.toString(current));
        }
    }
}
