package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Confluent's own Schema Registry client and Avro deserializer, {@code @confluentinc/schemaregistry} from the npm
 * registry (Confluent's Java serializers are not on Maven Central). {@code src/test/confluent-js} pins the version
 * and every dependency; {@code npm ci} installs them under {@code target/confluent-js}, again only when the lock file
 * changes.
 */
final class ConfluentJsClient {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SOURCE = Path.of("src", "test", "confluent-js");
    private static final Path WORK = Path.of("target", "confluent-js");

    private ConfluentJsClient() {}

    /** A record value to read from a topic. */
    record Value(String topic, byte[] bytes) {}

    /**
     * Installs the client. A machine without Node.js skips the test that needs it (the README's commands need only a
     * JDK); with Node.js, a failed install fails the test.
     */
    static void install() throws Exception {
        Assumptions.assumeTrue(
                runs("node", "--version") && runs("npm", "--version"),
                "Node.js and npm are not on the PATH: Confluent's JavaScript client cannot be run here");
        Files.createDirectories(WORK);
        // The scripts are copied every time, so an edit to them is what runs; the packages are installed again only
        // when the lock file changed or the last install did not finish.
        for (String file : List.of("package.json", "package-lock.json", "read.cjs", "write.cjs")) {
            Files.copy(SOURCE.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path marker = WORK.resolve("installed-lock.json");
        byte[] lock = Files.readAllBytes(SOURCE.resolve("package-lock.json"));
        if (Files.exists(marker) && Arrays.equals(Files.readAllBytes(marker), lock)) {
            return;
        }
        Files.deleteIfExists(marker);
        // --ignore-scripts: nothing the reader uses needs an install script.
        Result r = run(WORK, null, 300, "npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts");
        assertThat(r.exit())
                .as("npm ci in %s failed:%n%s%n%s", WORK, r.output(), r.errors())
                .isZero();
        Files.write(marker, lock);
    }

    /**
     * Reads each value with Confluent's {@code AvroDeserializer}, which looks its schema up by id in the registry at
     * {@code registryUrl}; answers the decoded records in order, Avro longs as JSON numbers.
     */
    static List<JsonNode> read(String registryUrl, List<Value> values) throws Exception {
        StringBuilder in = new StringBuilder();
        for (Value v : values) {
            ObjectNode line = JSON.createObjectNode();
            line.put("topic", v.topic());
            line.put("value", Base64.getEncoder().encodeToString(v.bytes()));
            in.append(JSON.writeValueAsString(line)).append('\n');
        }
        Result r = run(WORK, in.toString(), 60, "node", "--no-deprecation", "read.cjs", registryUrl);
        assertThat(r.exit())
                .as("Confluent's deserializer failed:%n%s%n%s", r.output(), r.errors())
                .isZero();
        List<JsonNode> records = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            if (!line.isBlank()) {
                records.add(JSON.readTree(line).get("record"));
            }
        }
        assertThat(records).as("one record per value:%n%s", r.output()).hasSize(values.size());
        return records;
    }

    /** What Confluent's serializer wrote: the schema id it registered, and each record's value in order. */
    record Written(int schemaId, List<byte[]> values) {}

    /**
     * Registers {@code schema} under {@code topic}'s value subject with Confluent's client, then writes each record
     * (JSON, as Confluent's JavaScript serializer takes it) with Confluent's {@code AvroSerializer} using that latest
     * version.
     */
    static Written write(String registryUrl, String userInfo, String topic, String schema, List<String> records)
            throws Exception {
        Result r = run(
                WORK,
                Map.of("REGISTRY_USER_INFO", userInfo),
                String.join("\n", records) + "\n",
                60,
                "node",
                "--no-deprecation",
                "write.cjs",
                registryUrl,
                topic,
                schema);
        assertThat(r.exit())
                .as("Confluent's serializer failed:%n%s", r.output())
                .isZero();
        int id = -1;
        List<byte[]> values = new ArrayList<>();
        for (String line : r.output().split("\n")) {
            if (!line.isBlank()) {
                JsonNode written = JSON.readTree(line);
                id = written.get("id").asInt();
                values.add(Base64.getDecoder().decode(written.get("value").asString()));
            }
        }
        assertThat(values).as("one value per record:%n%s", r.output()).hasSize(records.size());
        return new Written(id, values);
    }

    /** A command's exit status, its standard output (what is parsed) and its standard error (for messages). */
    private record Result(int exit, String output, String errors) {}

    private static boolean runs(String... command) {
        try {
            return run(Path.of("."), null, 30, command).exit() == 0;
        } catch (IOException e) {
            return false;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs a command; a command that runs too long, or is left by an interruption or a failed write, is killed. */
    private static Result run(Path dir, String stdin, int timeoutSeconds, String... command) throws Exception {
        return run(dir, Map.of(), stdin, timeoutSeconds, command);
    }

    /** With {@code environment} added to the process's: a credential there is not on its command line. */
    private static Result run(
            Path dir, Map<String, String> environment, String stdin, int timeoutSeconds, String... command)
            throws Exception {
        Path out = Files.createTempFile("confluent-js", ".out");
        Path err = Files.createTempFile("confluent-js", ".err");
        Process p = null;
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            p = builder.start();
            try (var w = p.getOutputStream()) {
                if (stdin != null) {
                    w.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", command) + " did not finish within " + timeoutSeconds
                        + " s:\n" + Files.readString(out) + "\n" + Files.readString(err));
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
