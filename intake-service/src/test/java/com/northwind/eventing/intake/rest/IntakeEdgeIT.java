package com.northwind.eventing.intake.rest;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static com.northwind.eventing.intake.support.Events.claimType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.IntakeApplication;
import com.northwind.eventing.intake.support.Firehose;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.web.AllowListFilter;
import com.northwind.eventing.web.testing.HandlerRoutes;
import com.northwind.eventing.web.testing.RawHttp;
import jakarta.servlet.ServletRegistration;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.web.context.WebApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The intake's HTTP edge on the real intake and admin-api: what it serves is exactly its allow-list, a foreign Host or
 * a URI the container refuses gets a problem, and the firehose's schema cannot be replaced by a caller without the
 * platform's service token, so publishing goes on.
 */
@ExtendWith(KafkaClusterExtension.class)
class IntakeEdgeIT {
    private static final Map<String, RestConfig.IntakeAccess> EXPECTED = Map.of(
            "POST /v1/events", RestConfig.IntakeAccess.APP_TOKEN,
            "POST /v1/events/batch", RestConfig.IntakeAccess.APP_TOKEN,
            "GET /actuator/health", RestConfig.IntakeAccess.OPEN,
            "GET /actuator/health/**", RestConfig.IntakeAccess.OPEN,
            "GET /actuator/info", RestConfig.IntakeAccess.OPEN,
            "GET /actuator/prometheus", RestConfig.IntakeAccess.OPEN,
            "GET /openapi.json", RestConfig.IntakeAccess.OPEN,
            "GET /openapi.yaml", RestConfig.IntakeAccess.OPEN);
    private static final String INCOMPATIBLE = """
            {"schema": "{\\"type\\": \\"record\\", \\"name\\": \\"Hijack\\", \\"fields\\": [{\\"name\\": \\"x\\", \\"type\\": \\"int\\"}]}"}""";

    private static KafkaBroker kafka;
    private static IntakePlatform platform;
    private static RawHttp intake;
    private static RawHttp admin;
    private static String token;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        platform = new IntakePlatform(broker).start();
        platform.registerEventType(claimType("Edge"));
        token = platform.registerApp(app("edge-producer", "Claim.*.*"));
        intake = new RawHttp("127.0.0.1", URI.create(platform.intakeUrl()).getPort());
        admin = new RawHttp("127.0.0.1", URI.create(platform.adminUrl()).getPort());
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void shouldServeExactlyItsAllowListWithTheCredentialDecidedForEachRoute() {
        // given the running intake
        ApplicationContext context = platform.intake();

        // when
        Set<String> served = new TreeSet<>(HandlerRoutes.of(context));
        served.addAll(servletMappings(context));
        Map<String, RestConfig.IntakeAccess> allowList = allowList(context);

        // then
        assertThat(served).isEqualTo(new TreeSet<>(EXPECTED.keySet()));
        assertThat(allowList).isEqualTo(new TreeMap<>(EXPECTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/error", "/v1", "/v1/events/", "/V1/EVENTS", "/actuator", "/actuator/env"})
    void shouldAnswer404ProblemWhenPathIsOnNoRoute(String path) {
        // given a path the intake does not serve

        // when
        RawHttp.Answer a = intake.send("GET", path, null);

        // then
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(json(a).path("type").asString()).isEqualTo("urn:eventing:problem:not-found");
    }

    @Test
    void shouldAnswer405WithAllowWhenPublishRouteIsCalledWithAnotherMethod() {
        // given the publish route

        // when
        RawHttp.Answer a = intake.send("GET", "/v1/events", null, "Authorization: Bearer " + token);

        // then
        assertThat(a.status()).isEqualTo(405);
        assertThat(a.header("Allow")).isEqualTo("POST");
        assertThat(json(a).path("type").asString()).isEqualTo("urn:eventing:problem:method-not-allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1%2Fevents", "/v1/events%2Fbatch", "/v1/%", "/v1/events%zz", "/v1\\events"})
    void shouldAnswerProblemWhenTomcatRefusesTheUriItself(String target) {
        // given a URI the container refuses before any filter runs, with a valid token and event

        // when
        RawHttp.Answer a = intake.send(
                "POST",
                target,
                claim("Edge", "tomcat"),
                "Authorization: Bearer " + token,
                "Content-Type: application/json");

        // then
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.contentType()).startsWith("application/problem+json");
        assertThat(json(a).path("type").asString()).isEqualTo("urn:eventing:problem:malformed-request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "intake.evil.example:8080", "127.0.0.2"})
    void shouldRefuseWith400NamingTheHostWhenHostIsNotAllowed(String host) {
        // given a Host a rebinding page would send, with a valid token and event
        Map<TopicPartition, Long> before = Firehose.endOffsets(kafka);

        // when
        RawHttp.Answer a = intake.exchange(
                "POST /v1/events HTTP/1.1",
                List.of("Host: " + host, "Authorization: Bearer " + token, "Content-Type: application/json"),
                claim("Edge", "rebound"));

        // then
        assertThat(a.status()).isEqualTo(400);
        assertThat(json(a).path("detail").asString())
                .isEqualTo("the host '" + host.replaceAll(":8080$", "") + "' is not served here"
                        + " (eventing.http.allowed-hosts)");
        assertThat(Firehose.endOffsets(kafka)).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost:8080", "127.0.0.1", "[::1]:8080"})
    void shouldPublishWhenHostIsLoopbackName(String host) {
        // given a loopback Host

        // when
        RawHttp.Answer a = intake.exchange(
                "POST /v1/events HTTP/1.1",
                List.of("Host: " + host, "Authorization: Bearer " + token, "Content-Type: application/json"),
                claim("Edge", "loopback"));

        // then
        assertThat(a.status()).as(a.body()).isEqualTo(202);
    }

    @Test
    void shouldKeepFirehoseSchemaAndPublishingWhenCallersWithoutServiceTokenTryToReplaceIt() {
        // given an incompatible schema for the firehose's subject
        String path = "/subjects/eventing.firehose-value/versions";

        // when
        RawHttp.Answer none = admin.send("POST", path, INCOMPATIBLE, "Content-Type: application/json");
        RawHttp.Answer adminToken = admin.send(
                "POST",
                path,
                INCOMPATIBLE,
                "Content-Type: application/json",
                "Authorization: Bearer " + IntakePlatform.ADMIN_TOKEN);
        RawHttp.Answer service = admin.send(
                "POST",
                "/subjects/eventing.firehose-value",
                INCOMPATIBLE.replace("Hijack", "Hijack"),
                "Content-Type: application/json",
                "Authorization: Bearer " + IntakePlatform.SERVICE_TOKEN);
        HttpResponse<String> published = platform.postEvent("/v1/events", token, claim("Edge", "after-attempts"));

        // then
        assertThat(none.status()).isEqualTo(401);
        assertThat(json(none).path("error_code").asInt()).isEqualTo(40101);
        assertThat(adminToken.status()).isEqualTo(403);
        assertThat(json(adminToken).path("error_code").asInt()).isEqualTo(40301);
        assertThat(service.status()).as("a lookup of a schema never registered").isEqualTo(404);
        assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
        assertThat(platform.send(platform.admin("/subjects/eventing.firehose-value/versions")
                                .GET())
                        .body())
                .isEqualTo("[1]");
    }

    @Test
    void shouldRegisterFirehoseSchemaWhenServiceTokenIsUsed() {
        // given the firehose's subject and the schema the intake registered there
        String current = platform.send(platform.admin("/subjects/eventing.firehose-value/versions/latest")
                        .GET())
                .body();
        String schema = json(current).path("schema").asString();

        // when
        RawHttp.Answer service = admin.send(
                "POST",
                "/subjects/eventing.firehose-value/versions",
                "{\"schema\": "
                        + tools.jackson.databind.json.JsonMapper.builder()
                                .build()
                                .writeValueAsString(schema) + "}",
                "Content-Type: application/json",
                "Authorization: Bearer " + IntakePlatform.SERVICE_TOKEN);

        // then
        assertThat(service.status()).isEqualTo(200);
        assertThat(json(service.body()).path("id").asInt())
                .isEqualTo(json(current).path("id").asInt());
    }

    @Test
    void shouldFailToStartWithClearMessageWhenRegistryRefusesTheIntakesCredential() {
        // given the admin token, which may not write the firehose's subject

        // when
        Throwable thrown = catchThrowable(() -> IntakeApplication.builder()
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                        "--eventing.schema-registry.url=" + platform.adminUrl(),
                        "--eventing.schema-registry.bearer-token=" + IntakePlatform.ADMIN_TOKEN,
                        "--eventing.firehose.partitions=3",
                        "--eventing.grpc.port=-1"));

        // then
        assertThat(rootMessage(thrown))
                .startsWith("the schema registry refused the intake's credential for eventing.firehose-value"
                        + " (status 403): set eventing.schema-registry.bearer-token");
    }

    private static String rootMessage(Throwable t) {
        Throwable seen = t;
        while (seen != null) {
            if (seen instanceof IllegalStateException && seen.getMessage().startsWith("the schema registry refused")) {
                return seen.getMessage();
            }
            seen = seen.getCause();
        }
        return String.valueOf(t);
    }

    /** The event servlet's mappings as POST routes (it serves POST only); the dispatcher's "/" is Spring MVC's. */
    static Set<String> servletMappings(ApplicationContext context) {
        Set<String> routes = new TreeSet<>();
        for (ServletRegistration r : ((WebApplicationContext) context)
                .getServletContext()
                .getServletRegistrations()
                .values()) {
            for (String mapping : r.getMappings()) {
                if (r.getName().equals("eventServlet")) {
                    routes.add("POST " + mapping);
                } else if (!(r.getName().equals("dispatcherServlet") && mapping.equals("/"))) {
                    routes.add("* " + r.getName() + " " + mapping);
                }
            }
        }
        return routes;
    }

    @SuppressWarnings("unchecked")
    static Map<String, RestConfig.IntakeAccess> allowList(ApplicationContext context) {
        Map<String, RestConfig.IntakeAccess> list = new TreeMap<>();
        for (FilterRegistrationBean<?> r :
                context.getBeansOfType(FilterRegistrationBean.class).values()) {
            if (r.getFilter() instanceof AllowListFilter<?> f) {
                ((AllowListFilter<RestConfig.IntakeAccess>) f)
                        .routes()
                        .routes()
                        .forEach(route -> list.put(route.describe(), route.access()));
            }
        }
        return list;
    }

    private static JsonNode json(RawHttp.Answer a) {
        return json(a.body());
    }

    private static JsonNode json(String text) {
        return IntakePlatform.json(text);
    }
}
