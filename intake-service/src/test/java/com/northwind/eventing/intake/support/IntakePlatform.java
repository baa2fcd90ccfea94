package com.northwind.eventing.intake.support;

import com.northwind.eventing.admin.AdminApiApplication;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.intake.IntakeApplication;
import com.northwind.eventing.intake.auth.AppDirectory;
import com.northwind.eventing.intake.publish.EventTypeCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real admin-api (registry and schema registry) and the real intake, each on a free port, against the test
 * broker; with the HTTP calls tests make to both.
 */
public final class IntakePlatform implements AutoCloseable {
    public static final String ADMIN_TOKEN = "intake-test-admin-token-42";
    /** The platform's registry credential, which the intake writes the firehose's subject with. */
    public static final String SERVICE_TOKEN = "intake-test-service-token-0123456789abcdef";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KafkaBroker kafka;
    private final List<String> intakeArgs;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private ConfigurableApplicationContext admin;
    private ConfigurableApplicationContext intake;
    private String adminUrl;
    private String intakeUrl;

    public IntakePlatform(KafkaBroker kafka, String... intakeArgs) {
        this.kafka = kafka;
        this.intakeArgs = List.of(intakeArgs);
    }

    public IntakePlatform start() {
        admin = AdminApiApplication.builder()
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.admin-token=" + ADMIN_TOKEN,
                        "--eventing.schema-registry.service-token=" + SERVICE_TOKEN,
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.registry.replication-factor=1",
                        "--eventing.subscriptions.replication-factor=1");
        adminUrl = "http://127.0.0.1:" + port(admin);
        startIntake();
        return this;
    }

    public void startIntake() {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                "--eventing.schema-registry.url=" + adminUrl,
                "--eventing.schema-registry.bearer-token=" + SERVICE_TOKEN,
                "--eventing.firehose.partitions=3",
                "--eventing.grpc.port=0"));
        args.addAll(intakeArgs);
        intake = IntakeApplication.builder().run(args.toArray(String[]::new));
        intakeUrl = "http://127.0.0.1:" + port(intake);
    }

    public void stopIntake() {
        if (intake != null) {
            intake.close();
            intake = null;
        }
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public String adminUrl() {
        return adminUrl;
    }

    public String intakeUrl() {
        return intakeUrl;
    }

    public ConfigurableApplicationContext intake() {
        return intake;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    /** Registers an event type through admin-api; a 409 (already there) is fine. */
    public void registerEventType(String json) {
        HttpResponse<String> r = send(admin("/v1/event-types")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() != 201 && r.statusCode() != 409) {
            throw new IllegalStateException("could not register event type: " + r.statusCode() + " " + r.body());
        }
        JsonNode type = JSON.readTree(json);
        String name = type.path("noun").asString() + "." + type.path("verb").asString() + "."
                + type.path("object").asString();
        awaitIntake(() -> intake.getBean(EventTypeCatalog.class).find(name).isPresent());
    }

    /** The intake follows the registry within a second; tests that go on at once wait for it. */
    private static void awaitIntake(java.util.function.BooleanSupplier seen) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!seen.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the intake did not see the registry change within 5 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Registers an app through admin-api and returns its token. */
    public String registerApp(String json) {
        HttpResponse<String> r = send(admin("/v1/apps")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        if (r.statusCode() != 201) {
            throw new IllegalStateException("could not register app: " + r.statusCode() + " " + r.body());
        }
        String token = JSON.readTree(r.body()).path("token").asString();
        awaitIntake(() -> intake.getBean(AppDirectory.class).authenticate(token).isPresent());
        return token;
    }

    /** Waits until the intake has read that the token is revoked: it no longer finds the token's app. */
    public void awaitRevoked(String token) {
        awaitIntake(() -> intake.getBean(AppDirectory.class).authenticate(token).isEmpty());
    }

    public HttpResponse<String> adminCall(HttpRequest.Builder request) {
        return send(request);
    }

    public HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(URI.create(adminUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** Posts JSON to the intake with the given token (null for none). */
    public HttpResponse<String> postEvent(String path, String token, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(intakeUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b);
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Override
    public void close() {
        stopIntake();
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
