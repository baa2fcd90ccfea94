package com.northwind.eventing.web.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * One of the platform's OpenAPI documents, as each service answers it at {@code /openapi.json} and
 * {@code /openapi.yaml}. The YAML in this module's resources is the source of truth (written by hand and held to the
 * code by tests); the JSON is made from it once, at start, so that a document that does not parse stops the service
 * instead of failing a client later. Both services read the documents from here, so that neither depends on the
 * other: admin-api also serves the intake's, for the console on its origin.
 */
public final class OpenApiDocument {
    /** The admin API's document (with the embedded schema registry's routes), as a classpath resource. */
    public static final String ADMIN = "openapi/admin-api.yaml";
    /** The intake's REST API. */
    public static final String INTAKE = "openapi/intake.yaml";
    /** RFC 9512's media type for YAML. */
    public static final MediaType APPLICATION_YAML = MediaType.parseMediaType("application/yaml");

    /**
     * The documents change only with a release; five minutes keeps a console's reloads cheap without serving an old
     * document for long after an upgrade, and the ETag makes the check after that a 304.
     */
    private static final CacheControl CACHE =
            CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

    private final byte[] yaml;
    private final byte[] json;
    private final String yamlTag;
    private final String jsonTag;

    private OpenApiDocument(byte[] yaml, byte[] json) {
        this.yaml = yaml;
        this.json = json;
        this.yamlTag = etag(yaml);
        this.jsonTag = etag(json);
    }

    /**
     * Reads the document from the classpath.
     *
     * @throws IllegalStateException if it is missing or is not YAML
     */
    public static OpenApiDocument load(String resource) {
        byte[] yaml;
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the OpenAPI document " + resource + " is not on the classpath");
            }
            yaml = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the OpenAPI document " + resource, e);
        }
        JsonNode tree;
        try {
            tree = YAMLMapper.builder().build().readTree(yaml);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the OpenAPI document " + resource + " is not valid YAML", e);
        }
        if (tree == null || !tree.isObject() || !tree.has("openapi")) {
            throw new IllegalStateException("the OpenAPI document " + resource + " has no openapi member");
        }
        return new OpenApiDocument(yaml, JsonMapper.builder().build().writeValueAsBytes(tree));
    }

    /** The document as JSON; a request whose {@code If-None-Match} holds its ETag gets a 304 from Spring MVC. */
    public ResponseEntity<byte[]> json() {
        return answer(json, jsonTag, new MediaType(MediaType.APPLICATION_JSON, StandardCharsets.UTF_8));
    }

    /** The document as written. */
    public ResponseEntity<byte[]> yaml() {
        return answer(yaml, yamlTag, APPLICATION_YAML);
    }

    private static ResponseEntity<byte[]> answer(byte[] body, String tag, MediaType type) {
        return ResponseEntity.ok()
                .contentType(type)
                .cacheControl(CACHE)
                .eTag(tag)
                .body(body);
    }

    private static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + HexFormat.of().formatHex(digest, 0, 16) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
