package com.northwind.eventing.common.registry;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A client of the Confluent Schema Registry REST API (v1), speaking to Confluent's server or to the registry
 * embedded in admin-api. Ids by schema and schemas by id are cached for the life of the client: ids never change.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<URI> baseUrls;
    private final HttpClient http;
    private final Duration timeout;
    private final String authorization;
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    /**
     * @param urls one or more base URLs, comma-separated, tried in order
     * @param authorization the value of the Authorization header, or null for none
     */
    public RestSchemaRegistryClient(String urls, String authorization) {
        Objects.requireNonNull(urls, "schema registry url");
        this.baseUrls = java.util.Arrays.stream(urls.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(s -> URI.create(s.endsWith("/") ? s : s + "/"))
                .toList();
        if (baseUrls.isEmpty()) {
            throw new IllegalArgumentException("schema registry url is empty");
        }
        this.authorization = authorization;
        this.timeout = Duration.ofSeconds(10);
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    public RestSchemaRegistryClient(String urls) {
        this(urls, null);
    }

    /**
     * The Authorization header for a registry credential, as Confluent's clients send it: {@code Bearer <token>}, or
     * {@code Basic base64(user:password)} from {@code user:password}; null when neither is given.
     *
     * @throws IllegalArgumentException when both are given, or the user info has no ':'
     */
    public static String authorization(String bearerToken, String basicAuthUserInfo) {
        boolean bearer = bearerToken != null && !bearerToken.isBlank();
        boolean basic = basicAuthUserInfo != null && !basicAuthUserInfo.isBlank();
        if (bearer && basic) {
            throw new IllegalArgumentException("give the schema registry a bearer token or basic user info, not both");
        }
        if (bearer) {
            return "Bearer " + bearerToken.trim();
        }
        if (basic) {
            if (basicAuthUserInfo.indexOf(':') < 0) {
                throw new IllegalArgumentException("the schema registry's basic user info must be user:password");
            }
            return "Basic "
                    + java.util.Base64.getEncoder().encodeToString(basicAuthUserInfo.getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    @Override
    public int register(String subject, Schema schema) {
        return ids.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
            JsonNode response = post("subjects/" + encode(subject) + "/versions", schemaRequest(schema));
            int id = idOf(response, subject);
            schemas.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return ids.computeIfAbsent(new SubjectSchema(subject, schema), k -> {
            JsonNode response = post("subjects/" + encode(subject), schemaRequest(schema));
            int id = idOf(response, subject);
            schemas.putIfAbsent(id, schema);
            return id;
        });
    }

    @Override
    public Schema byId(int id) {
        return schemas.computeIfAbsent(id, k -> {
            JsonNode response = send(HttpRequest.newBuilder().GET(), "schemas/ids/" + id);
            String type = response.path("schemaType").asString("AVRO");
            if (!"AVRO".equals(type)) {
                throw new SchemaRegistryException(200, 0, "schema " + id + " is " + type + ", not AVRO");
            }
            return new Schema.Parser().parse(response.path("schema").asString());
        });
    }

    private static int idOf(JsonNode response, String subject) {
        if (!response.path("id").isInt()) {
            throw new SchemaRegistryException(200, -1, "schema registry answered without an id for " + subject);
        }
        return response.path("id").intValue();
    }

    private static ObjectNode schemaRequest(Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        return body;
    }

    private JsonNode post(String path, ObjectNode body) {
        return send(
                HttpRequest.newBuilder()
                        .header("Content-Type", CONTENT_TYPE)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))),
                path);
    }

    private JsonNode send(HttpRequest.Builder request, String path) {
        SchemaRegistryException last = null;
        for (URI base : baseUrls) {
            HttpRequest.Builder r =
                    request.copy().uri(base.resolve(path)).timeout(timeout).header("Accept", CONTENT_TYPE);
            if (authorization != null) {
                r.header("Authorization", authorization);
            }
            HttpResponse<String> response;
            try {
                response = http.send(r.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                last = new SchemaRegistryException("schema registry " + base + " unreachable: " + e.getMessage(), e);
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SchemaRegistryException("interrupted while calling the schema registry", e);
            }
            return parse(response);
        }
        throw last;
    }

    private static JsonNode parse(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new SchemaRegistryException(
                    response.statusCode(), -1, "schema registry answered with a body that is not JSON");
        }
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            // Never the credential itself: only what to check.
            throw new SchemaRegistryException(
                    response.statusCode(),
                    body.path("error_code").asInt(response.statusCode()),
                    "schema registry refused this client's credential ("
                            + body.path("message").asString(response.statusCode() == 401 ? "unauthorized" : "forbidden")
                            + "); check its bearer token or basic user info");
        }
        if (response.statusCode() / 100 != 2) {
            throw new SchemaRegistryException(
                    response.statusCode(),
                    body.path("error_code").asInt(response.statusCode()),
                    body.path("message").asString("schema registry error"));
        }
        return body;
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record SubjectSchema(String subject, Schema schema) {}
}
