package com.northwind.eventing.standalone;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone platform's data directory: it holds the admin token and Kafka's log segments, that is every event
 * published, PHI included, so only its owner may enter it. It is created {@code 0700}; one that exists with more
 * permissions is narrowed to {@code 0700} with a warning.
 */
final class DataDir {
    private static final Logger log = LoggerFactory.getLogger(DataDir.class);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private DataDir() {}

    static void prepare(Path dir) throws IOException {
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!posix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        try {
            // Created with its permissions, not narrowed after: there is no moment when others may enter it.
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            return;
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("the data directory " + dir + " exists and is not a directory", e);
            }
        }
        Set<PosixFilePermission> current = Files.getPosixFilePermissions(dir);
        if (!current.equals(OWNER_ONLY)) {
            Files.setPosixFilePermissions(dir, OWNER_ONLY);
            log.warn(
                    "The data directory {} was {}; it holds the admin token and every event, so it is now rwx------",
                    dir,
                    PosixFilePermissions.toString(current));
        }
    }

    /** Whether the directory's file system has POSIX permissions (not Windows). */
    static boolean posix(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null
                && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** The attribute that creates a file readable and writable by its owner only, or none where that cannot be said. */
    static FileAttribute<?>[] ownerOnlyFile(Path dir) {
        return posix(dir)
                ? new FileAttribute<?>[] {
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                }
                : new FileAttribute<?>[0];
    }
}
