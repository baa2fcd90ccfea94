package com.northwind.eventing.admin.store.connect;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The few calls of Kafka Connect's REST API that admin-api makes, for one connector. */
final class ConnectRest {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final String connectorUrl;
    private final Duration timeout;

    ConnectRest(URI url, String connectorName, Duration timeout) {
        String base = url.toString();
        this.connectorUrl =
                (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/connectors/" + connectorName;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** An answer: its status and its body as JSON (a missing node when it is none). */
    record Answer(int status, JsonNode body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** Connect's own error message, when it gave one. */
        String message() {
            return body.path("message").asString("");
        }
    }

    /** {@code GET /connectors/{name}/config}. */
    Answer config() throws IOException, InterruptedException {
        return send(request("/config").GET());
    }

    /** {@code PUT /connectors/{name}/config}: creates the connector or replaces its configuration. */
    Answer putConfig(Map<String, String> config) throws IOException, InterruptedException {
        return send(request("/config")
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))));
    }

    /** {@code GET /connectors/{name}/status}. */
    Answer status() throws IOException, InterruptedException {
        return send(request("/status").GET());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(connectorUrl + path))
                .timeout(timeout)
                .header("Accept", "application/json");
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        JsonNode body;
        try {
            body = r.body().isBlank() ? JSON.missingNode() : JSON.readTree(r.body());
        } catch (RuntimeException notJson) {
            body = JSON.missingNode();
        }
        return new Answer(r.statusCode(), body);
    }
}
