package com.northwind.eventing.common.registry;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {
    private static final Schema PING = new Schema.Parser()
            .parse("{\"type\": \"record\", \"name\": \"Ping\", \"namespace\": \"com.northwind.test\","
                    + " \"fields\": [{\"name\": \"id\", \"type\": \"string\"}]}");

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int status = 200;
    private volatile String answer = "{}";
    private HttpServer server;

    @BeforeEach
    void startRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
            requests.add(new Request(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getRawPath(),
                    exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"),
                    body));
            byte[] out = answer.getBytes(UTF_8);
            exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
            exchange.sendResponseHeaders(status, out.length);
            exchange.getResponseBody().write(out);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopRegistry() {
        server.stop(0);
    }

    @Test
    void shouldPostTheSchemaToTheSubjectsVersionsWhenRegistering() {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        int id = client.register("pings-value", PING);

        assertThat(id).isEqualTo(7);
        assertThat(requests)
                .containsExactly(new Request(
                        "POST",
                        "/subjects/pings-value/versions",
                        "application/vnd.schemaregistry.v1+json",
                        null,
                        "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Ping\\\",\\\"namespace\\\":"
                                + "\\\"com.northwind.test\\\",\\\"fields\\\":[{\\\"name\\\":\\\"id\\\",\\\"type\\\":"
                                + "\\\"string\\\"}]}\"}"));
    }

    @Test
    void shouldAskTheRegistryOnceWhenRegisteringTheSameSchemaTwice() {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        int first = client.register("pings-value", PING);
        int second = client.register("pings-value", PING);

        assertThat(first).isEqualTo(7);
        assertThat(second).isEqualTo(7);
        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldKnowTheSchemaByIdWhenItWasRegisteredThroughTheSameClient() {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());
        client.register("pings-value", PING);

        Schema schema = client.byId(7);

        assertThat(schema).isSameAs(PING);
        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldPostToTheSubjectWhenLookingUp() {
        answer = "{\"subject\": \"pings-value\", \"id\": 3, \"version\": 1}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        int id = client.lookup("pings-value", PING);

        assertThat(id).isEqualTo(3);
        assertThat(requests)
                .extracting(Request::method, Request::path)
                .containsExactly(tuple("POST", "/subjects/pings-value"));
    }

    @Test
    void shouldEncodeTheSubjectWhenItHasASpace() {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        client.register("my pings-value", PING);

        assertThat(requests).extracting(Request::path).containsExactly("/subjects/my%20pings-value/versions");
    }

    @Test
    void shouldKeepTheBasePathWhenTheUrlHasOne() {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url() + "/registry");

        client.register("pings-value", PING);

        assertThat(requests).extracting(Request::path).containsExactly("/registry/subjects/pings-value/versions");
    }

    @Test
    void shouldSendTheAuthorizationHeaderWhenOneIsGiven() {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url(), "Bearer s3cret");

        client.register("pings-value", PING);

        assertThat(requests).extracting(Request::authorization).containsExactly("Bearer s3cret");
    }

    @Test
    void shouldSendBasicUserInfoAsConfluentsClientsDoWhenBasicAuthIsConfigured() {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client =
                new RestSchemaRegistryClient(url(), RestSchemaRegistryClient.authorization(null, "svc:s3cret"));

        client.register("pings-value", PING);

        assertThat(requests).extracting(Request::authorization).containsExactly("Basic c3ZjOnMzY3JldA==");
    }

    @Test
    void shouldRefuseCredentialWhenBothBearerAndBasicAreGiven() {
        IllegalArgumentException thrown = catchThrowableOfType(
                IllegalArgumentException.class, () -> RestSchemaRegistryClient.authorization("t", "u:p"));

        assertThat(thrown).hasMessage("give the schema registry a bearer token or basic user info, not both");
    }

    @Test
    void shouldSayTheCredentialWasRefusedWithoutShowingItWhenRegistryAnswers401() {
        status = 401;
        answer = "{\"error_code\": 40101, \"message\": \"the registry credential is not valid\"}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url(), "Bearer s3cret");

        SchemaRegistryException thrown =
                catchThrowableOfType(SchemaRegistryException.class, () -> client.register("pings-value", PING));

        assertThat(thrown.status()).isEqualTo(401);
        assertThat(thrown.errorCode()).isEqualTo(40101);
        assertThat(thrown)
                .hasMessage("schema registry refused this client's credential (the registry credential is not valid);"
                        + " check its bearer token or basic user info (status 401, error code 40101)");
    }

    @Test
    void shouldParseTheSchemaWhenFetchingById() {
        answer = "{\"schema\": \"{\\\"type\\\": \\\"record\\\", \\\"name\\\": \\\"Ping\\\", \\\"namespace\\\":"
                + " \\\"com.northwind.test\\\", \\\"fields\\\": [{\\\"name\\\": \\\"id\\\", \\\"type\\\":"
                + " \\\"string\\\"}]}\"}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        Schema first = client.byId(7);
        Schema second = client.byId(7);

        assertThat(first).isEqualTo(PING);
        assertThat(second).isSameAs(first);
        assertThat(requests).extracting(Request::method, Request::path).containsExactly(tuple("GET", "/schemas/ids/7"));
    }

    @Test
    void shouldRefuseTheSchemaWhenItIsNotAvro() {
        answer = "{\"schemaType\": \"PROTOBUF\", \"schema\": \"syntax = \\\"proto3\\\";\"}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        SchemaRegistryException thrown = catchThrowableOfType(SchemaRegistryException.class, () -> client.byId(7));

        assertThat(thrown).hasMessage("schema 7 is PROTOBUF, not AVRO (status 200, error code 0)");
    }

    @Test
    void shouldCarryConfluentsErrorCodeWhenTheRegistryRefuses() {
        status = 404;
        answer = "{\"error_code\": 40403, \"message\": \"Schema 9 not found\"}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        SchemaRegistryException thrown = catchThrowableOfType(SchemaRegistryException.class, () -> client.byId(9));

        assertThat(thrown.status()).isEqualTo(404);
        assertThat(thrown.errorCode()).isEqualTo(40403);
        assertThat(thrown).hasMessage("Schema 9 not found (status 404, error code 40403)");
    }

    @Test
    void shouldUseTheStatusAsErrorCodeWhenTheErrorBodyHasNone() {
        status = 500;
        answer = "{}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        SchemaRegistryException thrown =
                catchThrowableOfType(SchemaRegistryException.class, () -> client.register("pings-value", PING));

        assertThat(thrown).hasMessage("schema registry error (status 500, error code 500)");
    }

    @Test
    void shouldSayTheBodyIsNotJsonWhenAProxyAnswersWithHtml() {
        status = 502;
        answer = "<html>Bad gateway</html>";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(url());

        SchemaRegistryException thrown =
                catchThrowableOfType(SchemaRegistryException.class, () -> client.register("pings-value", PING));

        assertThat(thrown.status()).isEqualTo(502);
        assertThat(thrown.errorCode()).isEqualTo(-1);
        assertThat(thrown)
                .hasMessage("schema registry answered with a body that is not JSON (status 502, error code -1)");
    }

    @Test
    void shouldTryTheNextUrlWhenTheFirstIsUnreachable() throws IOException {
        answer = "{\"id\": 7}";
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(unreachableUrl() + ", " + url());

        int id = client.register("pings-value", PING);

        assertThat(id).isEqualTo(7);
        assertThat(requests).hasSize(1);
    }

    @Test
    void shouldFailAsUnreachableWhenNoUrlAnswers() throws IOException {
        String unreachable = unreachableUrl();
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(unreachable);

        SchemaRegistryException thrown =
                catchThrowableOfType(SchemaRegistryException.class, () -> client.register("pings-value", PING));

        assertThat(thrown.status()).isEqualTo(-1);
        assertThat(thrown.errorCode()).isEqualTo(-1);
        assertThat(thrown).hasMessageStartingWith("schema registry " + unreachable + "/ unreachable: ");
    }

    @Test
    void shouldRefuseConfigurationWhenTheUrlListIsEmpty() {
        IllegalArgumentException thrown =
                catchThrowableOfType(IllegalArgumentException.class, () -> new RestSchemaRegistryClient(" , "));

        assertThat(thrown).hasMessage("schema registry url is empty");
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A URL on a port that was free a moment ago, so that connecting is refused. */
    private static String unreachableUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    private record Request(String method, String path, String contentType, String authorization, String body) {}
}
