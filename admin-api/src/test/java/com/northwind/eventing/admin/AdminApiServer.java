package com.northwind.eventing.admin;

import com.northwind.eventing.common.testing.KafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** admin-api started for real on a free port against the test broker, and an HTTP client for it. */
public final class AdminApiServer implements AutoCloseable {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    /** The platform services' registry credential: the only one that may write eventing.* subjects. */
    public static final String SERVICE_TOKEN = "test-service-token-0123456789abcdef0123";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Supplier<String> bootstrapServers;
    private final List<String> extraArgs;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext context;
    private String baseUrl;

    public AdminApiServer(KafkaBroker kafka, String... extraArgs) {
        this(kafka::bootstrapServers, extraArgs);
    }

    /** admin-api against another broker than the shared test broker. */
    public AdminApiServer(Supplier<String> bootstrapServers, String... extraArgs) {
        this.bootstrapServers = bootstrapServers;
        this.extraArgs = List.of(extraArgs);
    }

    public AdminApiServer start() {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--eventing.admin-token=" + ADMIN_TOKEN,
                "--eventing.schema-registry.service-token=" + SERVICE_TOKEN,
                "--eventing.kafka.bootstrap-servers=" + bootstrapServers.get(),
                "--eventing.registry.replication-factor=1",
                "--eventing.subscriptions.replication-factor=1",
                "--eventing.subscriptions.default-partitions=2",
                "--spring.main.banner-mode=off"));
        args.addAll(extraArgs);
        context = AdminApiApplication.builder().run(args.toArray(String[]::new));
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        baseUrl = "http://127.0.0.1:" + port;
        return this;
    }

    /** Stops and starts admin-api again: it must rebuild everything from the topics. */
    public AdminApiServer restart() {
        close();
        return start();
    }

    public String baseUrl() {
        return baseUrl;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    /** An HTTP answer with its body parsed as JSON when it is JSON. */
    public record Response(int status, String contentType, String body, HttpResponse<String> raw) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        /** A validation problem's errors, each as {@code pointer: detail}. */
        public List<String> errors() {
            List<String> errors = new ArrayList<>();
            json().path("errors")
                    .forEach(e -> errors.add(e.path("pointer").asString() + ": "
                            + e.path("detail").asString()));
            return errors;
        }
    }

    public Response get(String path) {
        return send(request(path, true).GET());
    }

    public Response getWithoutToken(String path) {
        return send(request(path, false).GET());
    }

    public Response post(String path, String json) {
        return send(request(path, true)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response put(String path, String json) {
        return send(request(path, true)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Response delete(String path) {
        return send(request(path, true).DELETE());
    }

    public HttpRequest.Builder request(String path, boolean withToken) {
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (withToken) {
            b.header("Authorization", "Bearer " + ADMIN_TOKEN);
        }
        return b;
    }

    public Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r =
                    http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }
}
