package com.northwind.eventing.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The image tarballs the services' modules built in package (Jib's buildTar), read as `docker load` reads them. */
class ImagesTest {

    @ParameterizedTest
    @CsvSource({
        "admin-api, eventing/admin-api, com.northwind.eventing.admin.AdminApiApplication, 8081/tcp",
        "intake-service, eventing/intake-service, com.northwind.eventing.intake.IntakeApplication, 8080/tcp 9090/tcp",
        "router-service, eventing/router-service, com.northwind.eventing.router.RouterApplication, 8082/tcp"
    })
    void shouldStartTheServiceAsNonRootWithContainerSizedHeapWhenTheImageIsLoaded(
            String module, String repository, String mainClass, String ports) throws IOException {
        // given
        Map<String, byte[]> entries =
                tarEntries(Files.readAllBytes(Repository.ROOT.resolve(module).resolve("target/jib-image.tar")));
        JSONObject manifest =
                new JSONArray(new String(entries.get("manifest.json"), StandardCharsets.UTF_8)).getJSONObject(0);

        // when
        JSONObject config = new JSONObject(
                        new String(entries.get(manifest.getString("Config")), StandardCharsets.UTF_8))
                .getJSONObject("config");
        Set<String> files = new HashSet<>();
        for (Object layer : manifest.getJSONArray("Layers")) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(entries.get((String) layer)))) {
                files.addAll(tarEntries(in.readAllBytes()).keySet());
            }
        }

        // then
        assertThat(manifest.getJSONArray("RepoTags").getString(0)).startsWith(repository + ":");
        assertThat(config.getString("User")).isEqualTo("10001:10001");
        assertThat(config.getJSONArray("Entrypoint").toList())
                .startsWith("java")
                .endsWith(mainClass);
        assertThat(config.getJSONObject("ExposedPorts").keySet()).containsExactlyInAnyOrder(ports.split(" "));
        assertThat(config.getJSONArray("Env").toList())
                .contains(
                        "PATH=/opt/java/openjdk/bin:/usr/bin:/bin",
                        "JDK_JAVA_OPTIONS=-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError",
                        "SERVER_ADDRESS=0.0.0.0");
        assertThat(files)
                .contains(
                        "opt/java/openjdk/bin/java",
                        "opt/java/openjdk/lib/server/libjvm.so",
                        "lib64/ld-linux-x86-64.so.2",
                        "etc/passwd",
                        "opt/eventing/probe/HealthProbe.class",
                        "app/jib-classpath-file");
    }

    /** A tar's regular files by name (leading "./" and "/" removed), read with no library: ustar headers only. */
    private static Map<String, byte[]> tarEntries(byte[] tar) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        String longName = null;
        int offset = 0;
        while (offset + 512 <= tar.length && tar[offset] != 0) {
            String name = field(tar, offset, 100);
            String prefix = field(tar, offset + 345, 155);
            long size = Long.parseLong(
                    field(tar, offset + 124, 12).trim().isEmpty()
                            ? "0"
                            : field(tar, offset + 124, 12).trim(),
                    8);
            char type = (char) tar[offset + 156];
            int data = offset + 512;
            if (type == 'L') {
                longName = field(tar, data, (int) size);
            } else if (type == 'x' || type == 'g') {
                String pax = new String(tar, data, (int) size, StandardCharsets.UTF_8);
                for (String line : pax.split("\n")) {
                    int space = line.indexOf(' ');
                    if (space > 0 && line.startsWith("path=", space + 1)) {
                        longName = line.substring(space + 1 + "path=".length());
                    }
                }
            } else {
                String full = longName != null ? longName : (prefix.isEmpty() ? name : prefix + "/" + name);
                longName = null;
                full = full.replaceFirst("^\\./", "").replaceFirst("^/", "");
                if (type == '0' || type == '\0') {
                    byte[] content = new byte[(int) size];
                    System.arraycopy(tar, data, content, 0, (int) size);
                    entries.put(full, content);
                } else {
                    entries.put(full, new byte[0]);
                }
            }
            offset = data + (int) ((size + 511) / 512 * 512);
        }
        return entries;
    }

    private static String field(byte[] tar, int offset, int length) {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.UTF_8);
    }
}
