package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirTest {
    @TempDir
    Path tmp;

    @Test
    void shouldCreateTheDataDirectoryForItsOwnerOnlyWhenItIsNew() throws Exception {
        Path dir = tmp.resolve("a/b/data");

        DataDir.prepare(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }

    @Test
    void shouldNarrowTheDataDirectoryWhenOthersMayEnterIt() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        DataDir.prepare(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
    }

    @Test
    void shouldWriteTheGeneratedTokenOwnerOnlyAndLeaveNoTemporaryFileWhenNoneIsSet() throws Exception {
        Path dir = tmp.resolve("data");
        DataDir.prepare(dir);

        AdminToken.Resolved token = AdminToken.resolve(null, dir);

        Path file = dir.resolve("admin-token");
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).isEqualTo(token.token() + "\n");
        assertThat(token.token()).matches("adm_[A-Za-z0-9_-]{43}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void shouldKeepTheTokenAndNarrowItsFileWhenItWasReadableByOthers() throws Exception {
        Path dir = tmp.resolve("data");
        DataDir.prepare(dir);
        Path file = Files.writeString(dir.resolve("admin-token"), "adm_kept-from-before-0123456789\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        AdminToken.Resolved token = AdminToken.resolve(null, dir);

        assertThat(token.token()).isEqualTo("adm_kept-from-before-0123456789");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void shouldGenerateANewTokenWhenTheFileIsEmpty() throws Exception {
        Path dir = tmp.resolve("data");
        DataDir.prepare(dir);
        Files.writeString(dir.resolve("admin-token"), "");

        AdminToken.Resolved token = AdminToken.resolve(null, dir);

        assertThat(token.token()).startsWith("adm_");
        assertThat(Files.readString(dir.resolve("admin-token"))).isEqualTo(token.token() + "\n");
    }
}
