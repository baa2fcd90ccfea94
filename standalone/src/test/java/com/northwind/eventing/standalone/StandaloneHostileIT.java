package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.northwind.eventing.admin.security.AdminAccess;
import com.northwind.eventing.admin.security.AdminRoutes;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.Metadata;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishResponse;
import com.northwind.eventing.web.RouteTable;
import com.northwind.eventing.web.testing.HostileSpellings;
import com.northwind.eventing.web.testing.RawHttp;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a hostile caller tries, against the standalone jar as a user runs it: every admin and registry-write route in
 * every path spelling without its credential, platform subjects with the wrong credential, number bombs, deep nesting,
 * huge strings, invalid UTF-8, lone surrogates, duplicate members and control characters over REST and gRPC, a record
 * over the broker's limit, a content filter on a field its app may not see, and events the router cannot route. Each
 * gets its 4xx (or gRPC code) within a second, nothing is created or written, and afterwards the platform is healthy
 * and still routes and redacts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StandaloneHostileIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SSN = "123-45-6789";
    private static final String TYPE = "Claim.Submitted.Hostile";
    /** Larger than the broker's 1 MiB record limit, so that a request under it can make a record over it. */
    private static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

    @TempDir
    static Path dataDir;

    private static StandaloneProcess platform;
    private static final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static String adminToken;
    private static String producer;
    private static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        platform = new StandaloneProcess(dataDir, "--eventing.limits.max-request-bytes=" + MAX_REQUEST_BYTES);
        platform.start();
        adminToken = platform.adminToken();
        created(platform.post(platform.admin() + "/v1/event-types", adminToken, """
                {"noun": "Claim", "verb": "Submitted", "object": "Hostile", "owner": "claims",
                 "schema": {"type": "object", "required": ["claimId"],
                            "properties": {"claimId": {"type": "string"},
                                           "amount": {"type": "number", "multipleOf": 0.01},
                                           "status": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"ssn": {"type": "string"}}},
                                           "blob": {"type": "string"}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """));
        producer = JSON.readTree(created(platform.post(platform.admin() + "/v1/apps", adminToken, """
                                {"id": "portal", "team": "claims", "publish": ["Claim.*.*"], "read": ["PHI"],
                                 "rateLimit": {"eventsPerSecond": 100000, "burst": 100000}}
                                """)))
                .get("token")
                .asString();
        created(platform.post(platform.admin() + "/v1/apps", adminToken, """
                {"id": "analytics", "team": "bi", "read": []}
                """));
        created(platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "analytics-claims", "app": "analytics", "eventTypes": ["Claim.Submitted.*"]}
                """));
        awaitPublished(good("tx-warm-up"));
        // The router registers the subscription topic's subject with its first copy: wait for it, so that the registry
        // stays as it is while the tests below compare it before and after their hostile writes.
        assertThat(readUntil("eventing.sub.analytics-claims", 1, Duration.ofSeconds(120)))
                .as("the warm-up event's copy")
                .isNotEmpty();
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", platform.grpcPort, InsecureChannelCredentials.create())
                .maxInboundMessageSize(16 * 1024 * 1024)
                .build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (platform != null) {
            platform.shutDown();
        }
    }

    @Test
    @Order(1)
    void shouldServeNoAdminOrRegistryWriteRouteWithoutItsCredentialInAnySpelling() throws Exception {
        // given every route that needs a credential, in every spelling a router might read differently
        String before = registryState();
        RawHttp raw = new RawHttp("127.0.0.1", platform.adminPort);
        List<String> served = new ArrayList<>();
        List<String> slow = new ArrayList<>();
        List<String> notProblems = new ArrayList<>();
        int sent = 0;

        // when
        for (RouteTable.Route<AdminAccess> route : AdminRoutes.table(true).routes()) {
            if (route.access() == AdminAccess.OPEN) {
                continue;
            }
            String path = route.pattern()
                    .getPatternString()
                    .replace("{eventType}", TYPE)
                    .replace("{id}", "portal")
                    .replace("{tokenId}", "tok_x")
                    .replace("{subject}", "eventing.firehose-value")
                    .replace("{version}", "1");
            for (Map.Entry<String, String> spelling : HostileSpellings.of(path).entrySet()) {
                String method = route.method().name();
                String body = method.equals("POST") || method.equals("PUT") ? bodyFor(path) : null;
                RawHttp.Answer a = raw.send(
                        method, spelling.getValue(), body, "Content-Type: application/vnd.schemaregistry.v1+json");
                sent++;
                String what = method + " " + spelling.getValue() + " (" + spelling.getKey() + ") -> " + a.status();
                if (a.status() < 400) {
                    served.add(what);
                }
                if (a.millis() > 1000) {
                    slow.add(what + " in " + a.millis() + " ms");
                }
                if (!a.contentType().startsWith("application/problem+json")
                        && !a.body().contains("\"error_code\"")) {
                    notProblems.add(what + " " + a.contentType() + " " + a.body());
                }
            }
        }

        // then
        assertThat(sent).isGreaterThan(500);
        assertThat(served).isEmpty();
        assertThat(slow).isEmpty();
        assertThat(notProblems).isEmpty();
        assertThat(registryState()).isEqualTo(before);
    }

    @Test
    @Order(2)
    void shouldRefusePlatformSubjectWritesWithoutTheServiceTokenAndGoOnPublishing() throws Exception {
        // given a schema that would break every publish if the firehose's subject took it
        String url = platform.admin() + "/subjects/eventing.firehose-value/versions";
        String incompatible = """
                {"schema": "{\\"type\\": \\"record\\", \\"name\\": \\"Envelope\\", \\"namespace\\": \\"com.northwind.eventing.schema\\", \\"fields\\": [{\\"name\\": \\"x\\", \\"type\\": \\"int\\"}]}"}""";
        String versionsBefore = platform.get(url, null);

        // when
        HttpResponse<String> anonymous = registryPost(url, null, incompatible);
        HttpResponse<String> admin = registryPost(url, "Bearer " + adminToken, incompatible);
        HttpResponse<String> adminBasic = registryPost(
                url,
                "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminToken).getBytes(StandardCharsets.UTF_8)),
                incompatible);
        HttpResponse<String> forged = registryPost(url, "Bearer adm_forged-token-0123456789abcdef", incompatible);

        // then
        assertThat(anonymous.statusCode()).as(anonymous.body()).isEqualTo(401);
        assertThat(anonymous.body()).contains("\"error_code\":40101");
        assertThat(admin.statusCode()).as(admin.body()).isEqualTo(403);
        assertThat(admin.body()).contains("\"error_code\":40301");
        assertThat(adminBasic.statusCode()).isEqualTo(403);
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(platform.get(url, null)).isEqualTo(versionsBefore);
        assertThat(rest("/v1/events", good("tx-after-registry").getBytes(StandardCharsets.UTF_8))
                        .statusCode())
                .isEqualTo(202);
    }

    @Test
    @Order(3)
    void shouldRefuseHostileRestBodiesWithinASecondAndWriteNothing() throws Exception {
        // given
        Map<String, Refusal> corpus = new LinkedHashMap<>();
        corpus.put("a number bomb", new Refusal(withBody("\"amount\": 1e200000"), 400, "malformed-request"));
        corpus.put("a negative number bomb", new Refusal(withBody("\"amount\": -1e-200000"), 400, "malformed-request"));
        corpus.put(
                "a number of a thousand digits and an exponent",
                new Refusal(withBody("\"amount\": " + "9".repeat(900) + "e900000"), 400, "malformed-request"));
        corpus.put(
                "deep nesting",
                new Refusal(withBody("\"x\": " + "[".repeat(100_000) + "]".repeat(100_000)), 400, "malformed-request"));
        corpus.put(
                "a string over the request limit",
                new Refusal(withBody("\"blob\": \"" + "x".repeat(MAX_REQUEST_BYTES) + "\""), 413, "payload-too-large"));
        corpus.put("overlong UTF-8", new Refusal(withRawString(0xC0, 0xAF), 400, "malformed-request"));
        corpus.put("an encoded surrogate", new Refusal(withRawString(0xED, 0xA0, 0x80), 400, "malformed-request"));
        corpus.put("a truncated sequence", new Refusal(withRawString(0xE2, 0x82), 400, "malformed-request"));
        corpus.put("a byte UTF-8 never has", new Refusal(withRawString(0xFF), 400, "malformed-request"));
        corpus.put(
                "a lone high surrogate escape",
                new Refusal(withBody("\"status\": \"\\ud800\""), 400, "malformed-request"));
        corpus.put(
                "a lone low surrogate escape",
                new Refusal(withBody("\"status\": \"a\\udc00b\""), 400, "malformed-request"));
        corpus.put(
                "a lone surrogate in a member name", new Refusal(withBody("\"\\ud800\": 1"), 400, "malformed-request"));
        corpus.put(
                "a duplicate member in the body",
                new Refusal(withBody("\"status\": \"A\", \"status\": \"B\""), 400, "malformed-request"));
        corpus.put(
                "a duplicate member in the request",
                new Refusal(
                        utf8(good("tx-dup").replaceFirst("\\{", "{\"noun\": \"Claim\", ")), 400, "malformed-request"));
        corpus.put(
                "a NUL in a tag",
                new Refusal(
                        utf8(good("tx-tag").replace("\"tags\": []", "\"tags\": [\"state:\\u0000TX\"]")),
                        422,
                        "validation"));
        corpus.put("a control character in metadata", new Refusal(utf8(good("tx-\\u0007bell")), 422, "validation"));
        corpus.put(
                "a timestamp the envelope cannot hold",
                new Refusal(
                        utf8(good("tx-time")
                                .replace("\"userId\"", "\"timestamp\": \"+999999999-12-31T23:59:59Z\", \"userId\"")),
                        422,
                        "validation"));
        long before = firehoseEnd();
        List<String> wrong = new ArrayList<>();

        // when
        for (Map.Entry<String, Refusal> c : corpus.entrySet()) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = rest("/v1/events", c.getValue().request());
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String problemType = problemType(r);
            if (r.statusCode() != c.getValue().status()
                    || !("urn:eventing:problem:" + c.getValue().slug()).equals(problemType)
                    || millis > 1000) {
                wrong.add(c.getKey() + ": " + r.statusCode() + " " + problemType + " in " + millis + " ms");
            }
        }

        // then
        assertThat(wrong).isEmpty();
        assertThat(firehoseEnd())
                .as("the firehose's end offsets after the refusals")
                .isEqualTo(before);
    }

    @Test
    @Order(4)
    void shouldRefuseHostileGrpcInputWithinASecondAndWriteNothing() throws Exception {
        // given
        PublishRequest good = PublishRequest.newBuilder()
                .setNoun("Claim")
                .setVerb("Submitted")
                .setObject("Hostile")
                .setMetadata(Metadata.newBuilder().setTransactionId("tx-grpc").setUserId("u-1"))
                .setBody("{\"claimId\": \"C-1\", \"amount\": 10.25}")
                .build();
        Map<String, Object[]> corpus = new LinkedHashMap<>();
        corpus.put("a number bomb", new Object[] {
            good.toBuilder()
                    .setBody("{\"claimId\": \"C-1\", \"amount\": 1e200000}")
                    .build(),
            Status.Code.INVALID_ARGUMENT,
            "malformed-request"
        });
        corpus.put("deep nesting", new Object[] {
            good.toBuilder()
                    .setBody("{\"claimId\": \"C-1\", \"x\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}")
                    .build(),
            Status.Code.INVALID_ARGUMENT,
            "malformed-request"
        });
        corpus.put("a lone surrogate escape", new Object[] {
            good.toBuilder().setBody("{\"claimId\": \"\\ud800\"}").build(),
            Status.Code.INVALID_ARGUMENT,
            "malformed-request"
        });
        corpus.put("a duplicate member", new Object[] {
            good.toBuilder()
                    .setBody("{\"claimId\": \"C-1\", \"claimId\": \"C-2\"}")
                    .build(),
            Status.Code.INVALID_ARGUMENT,
            "malformed-request"
        });
        corpus.put("a NUL in a tag", new Object[] {
            good.toBuilder().addTags("state:\u0000TX").build(), Status.Code.INVALID_ARGUMENT, "validation"
        });
        corpus.put("a timestamp the envelope cannot hold", new Object[] {
            good.toBuilder()
                    .setMetadata(good.getMetadata().toBuilder().setTimestamp("+999999999-12-31T23:59:59Z"))
                    .build(),
            Status.Code.INVALID_ARGUMENT,
            "validation"
        });
        long before = firehoseEnd();
        List<String> wrong = new ArrayList<>();

        // when: once untimed, so that the channel, the server's handlers and the JIT are warm for the timed pass
        for (Map.Entry<String, Object[]> c : corpus.entrySet()) {
            refusal(() -> stub().publish((PublishRequest) c.getValue()[0]));
        }
        for (Map.Entry<String, Object[]> c : corpus.entrySet()) {
            long t0 = System.nanoTime();
            StatusRuntimeException e = refusal(() -> stub().publish((PublishRequest) c.getValue()[0]));
            check(c.getKey(), e, (Status.Code) c.getValue()[1], (String) c.getValue()[2], t0, wrong);
        }
        for (int[] bytes : List.of(new int[] {0xC0, 0xAF}, new int[] {0xED, 0xA0, 0x80}, new int[] {0xE2, 0x82})) {
            byte[] request = invalidUtf8Body(bytes);
            long t0 = System.nanoTime();
            StatusRuntimeException e = refusal(() -> publishRaw(request));
            check(
                    "invalid UTF-8 " + java.util.Arrays.toString(bytes),
                    e,
                    Status.Code.INVALID_ARGUMENT,
                    null,
                    t0,
                    wrong);
        }

        // then
        assertThat(wrong).isEmpty();
        assertThat(firehoseEnd())
                .as("the firehose's end offsets after the refusals")
                .isEqualTo(before);
    }

    @Test
    @Order(5)
    void shouldAnswerTooLargeWithoutRetryWhenTheRecordIsOverTheBrokersLimit() throws Exception {
        // given a body under the intake's request limit that no compression brings under the broker's record limit
        byte[] random = new byte[2 * 1024 * 1024];
        new SecureRandom().nextBytes(random);
        String blob = Base64.getEncoder().encodeToString(random);
        long before = firehoseEnd();

        // when
        HttpResponse<String> r = rest("/v1/events", withBody("\"blob\": \"" + blob + "\""));
        StatusRuntimeException e = refusal(() -> stub().publish(PublishRequest.newBuilder()
                .setNoun("Claim")
                .setVerb("Submitted")
                .setObject("Hostile")
                .setMetadata(Metadata.newBuilder().setTransactionId("tx-large"))
                .setBody("{\"claimId\": \"C-1\", \"blob\": \"" + blob + "\"}")
                .build()));

        // then
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(problemType(r)).isEqualTo("urn:eventing:problem:payload-too-large");
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        assertThat(status.getDetailsList()).noneMatch(d -> d.is(RetryInfo.class));
        assertThat(firehoseEnd()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void shouldRefuseAFilterOnAFieldItsAppIsNotClearedFor() throws Exception {
        // when
        HttpResponse<String> r = platform.post(platform.admin() + "/v1/subscriptions", adminToken, """
                {"id": "ssn-oracle", "app": "analytics", "eventTypes": ["Claim.*.*"],
                 "filter": {"/member/ssn": [{"prefix": "123"}]}}
                """);

        // then
        assertThat(r.statusCode()).as(r.body()).isEqualTo(422);
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:eventing:problem:validation");
        assertThat(problem.get("errors").toString()).contains("/filter/~1member~1ssn");
        HttpResponse<String> absent = http.send(
                HttpRequest.newBuilder(URI.create(platform.admin() + "/v1/subscriptions/ssn-oracle"))
                        .header("Authorization", "Bearer " + adminToken)
                        .build(),
                BodyHandlers.ofString());
        assertThat(absent.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(7)
    void shouldDeadLetterWhatCannotBeRoutedWithoutItsSsn() throws Exception {
        // given events written straight to the firehose that the router cannot route: a version the type does not
        // have, and a body that is not JSON; each holds an SSN
        String unknownVersion = UUID.randomUUID().toString();
        String notJson = UUID.randomUUID().toString();
        try (var serializer = new AvroWireSerializer<Envelope>(new RestSchemaRegistryClient(platform.admin()), false);
                var producerClient = new KafkaProducer<byte[], byte[]>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()),
                        new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            for (Envelope e : List.of(
                    envelope(unknownVersion, "{\"claimId\": \"C-9\", \"member\": {\"ssn\": \"" + SSN + "\"}}", 99),
                    envelope(notJson, "ssn " + SSN + " {", 1))) {
                producerClient
                        .send(new ProducerRecord<>("eventing.firehose", serializer.serialize("eventing.firehose", e)))
                        .get(30, TimeUnit.SECONDS);
            }
        }

        // when
        List<ConsumerRecord<byte[], byte[]>> letters = readUntil("eventing.deadletter", 2, Duration.ofSeconds(60));

        // then
        assertThat(letters).hasSizeGreaterThanOrEqualTo(2);
        for (ConsumerRecord<byte[], byte[]> r : letters) {
            assertThat(r.value() == null ? "" : new String(r.value(), StandardCharsets.ISO_8859_1))
                    .doesNotContain(SSN);
            for (Header h : r.headers()) {
                assertThat(new String(h.value(), StandardCharsets.ISO_8859_1))
                        .as("header %s", h.key())
                        .doesNotContain(SSN);
            }
            assertThat(r.headers().lastHeader("eventing-deadletter-sha256")).isNotNull();
            assertThat(r.headers().lastHeader("eventing-deadletter-offset")).isNotNull();
        }
    }

    @Test
    @Order(8)
    void shouldAnswerNumberBombsAtOnceWhilePublishesAroundThemKeepTheirRate() throws Exception {
        // given the rate of plain publishes, one at a time
        byte[] plain = utf8(good("tx-rate"));
        byte[] bomb = withBody("\"amount\": 1e200000");
        double alone = publishRate(plain, Duration.ofSeconds(5));
        ExecutorService attackers = Executors.newFixedThreadPool(2);
        AtomicBoolean attacking = new AtomicBoolean(true);
        List<Future<List<String>>> attacks = new ArrayList<>();

        // when bombs arrive, 50 a second, while the same publishes go on
        for (int t = 0; t < 2; t++) {
            attacks.add(attackers.submit(() -> {
                List<String> wrong = new ArrayList<>();
                while (attacking.get()) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = rest("/v1/events", bomb);
                    long millis = (System.nanoTime() - t0) / 1_000_000;
                    if (r.statusCode() != 400 || millis > 1000) {
                        wrong.add(r.statusCode() + " in " + millis + " ms");
                    }
                    Thread.sleep(Math.max(0, 40 - millis));
                }
                return wrong;
            }));
        }
        double underAttack;
        try {
            underAttack = publishRate(plain, Duration.ofSeconds(5));
        } finally {
            attacking.set(false);
            attackers.shutdown();
        }

        // then
        for (Future<List<String>> f : attacks) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isEmpty();
        }
        System.out.printf("publishes/s alone %.0f, beside 50 number bombs/s %.0f%n", alone, underAttack);
        assertThat(underAttack).isGreaterThan(alone * 0.5);
    }

    @Test
    @Order(9)
    void shouldStayHealthyAndStillRouteAndRedactAfterTheHostileInput() throws Exception {
        // given
        String tx = "tx-last-" + UUID.randomUUID();

        // when
        HttpResponse<String> r = rest(
                "/v1/events",
                utf8(good(tx).replace(
                                "\"claimId\": \"C-1\"",
                                "\"claimId\": \"C-1\", \"member\": {\"ssn\": \"" + SSN + "\"}")));

        // then
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String eventId = JSON.readTree(r.body()).get("eventId").asString();
        ConsumerRecord<byte[], byte[]> copy =
                readUntil("eventing.sub.analytics-claims", Duration.ofSeconds(60), eventId);
        String text = new String(copy.value(), StandardCharsets.ISO_8859_1);
        assertThat(text).doesNotContain(SSN).contains("***REDACTED***");
        for (String health : List.of(
                platform.admin() + "/actuator/health",
                platform.intake() + "/actuator/health",
                platform.intake() + "/actuator/health/readiness",
                "http://127.0.0.1:" + platform.routerPort + "/actuator/health")) {
            assertThat(platform.get(health, null)).as(health).contains("\"UP\"");
        }
    }

    // -- requests
    // ------------------------------------------------------------------------------------------------------

    /** A refusal expected: the request, its status, and its problem type's slug. */
    private record Refusal(byte[] request, int status, String slug) {}

    private static String good(String transactionId) {
        return """
                {"noun": "Claim", "verb": "Submitted", "object": "Hostile", "tags": [],
                 "metadata": {"transactionId": "%s", "userId": "u-1"},
                 "body": {"claimId": "C-1", "amount": 10.25}}
                """.formatted(transactionId);
    }

    /** A good event whose body has {@code member}, written exactly as given, in place of its amount. */
    private static byte[] withBody(String member) {
        return utf8(good("tx-hostile").replace("\"amount\": 10.25", member));
    }

    /** A good event whose {@code status} string holds the given bytes, raw, between two letters. */
    private static byte[] withRawString(int... bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String[] parts = good("tx-utf8").split("\"amount\"");
        out.writeBytes(utf8(parts[0] + "\"status\": \"a"));
        for (int b : bytes) {
            out.write(b);
        }
        out.writeBytes(utf8("b\", \"amount\"" + parts[1]));
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static HttpResponse<String> rest(String path, byte[] body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(platform.intake() + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + producer)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                BodyHandlers.ofString());
    }

    private static HttpResponse<String> registryPost(String url, String authorization, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), BodyHandlers.ofString());
    }

    private static String problemType(HttpResponse<String> r) {
        if (!r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json")) {
            return "not a problem: " + r.headers().firstValue("Content-Type").orElse("no content type");
        }
        return JSON.readTree(r.body()).path("type").asString();
    }

    private static String bodyFor(String path) {
        if (path.startsWith("/subjects")) {
            return "{\"schema\": \"{\\\"type\\\": \\\"string\\\"}\"}";
        }
        if (path.startsWith("/config")) {
            return "{\"compatibility\": \"NONE\"}";
        }
        return "{\"id\": \"intruder\", \"team\": \"x\", \"publish\": [\"*.*.*\"], \"read\": [\"PHI\"]}";
    }

    /** Everything a write could change: apps, types, subscriptions, subjects, the global config. */
    private static String registryState() throws Exception {
        return String.join(
                "\n",
                platform.get(platform.admin() + "/v1/apps", adminToken),
                platform.get(platform.admin() + "/v1/event-types", adminToken),
                platform.get(platform.admin() + "/v1/subscriptions", adminToken),
                platform.get(platform.admin() + "/subjects", null),
                platform.get(platform.admin() + "/subjects/eventing.firehose-value/versions", null),
                platform.get(platform.admin() + "/config", null));
    }

    private static String created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r.body();
    }

    /** Publishes until one is accepted: the intake follows the registry, so a new app's token works a moment later. */
    private static void awaitPublished(String event) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rest("/v1/events", utf8(event)).statusCode() != 202) {
            assertThat(System.nanoTime())
                    .as("the intake accepts the new app's events")
                    .isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    /** Plain publishes one after another for the given time; answers how many were accepted each second. */
    private static double publishRate(byte[] event, Duration time) throws Exception {
        long end = System.nanoTime() + time.toNanos();
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end) {
            HttpResponse<String> r = rest("/v1/events", event);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            n++;
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    // -- gRPC
    // ----------------------------------------------------------------------------------------------------------

    private static EventIntakeGrpc.EventIntakeBlockingStub stub() {
        return EventIntakeGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(bearer());
    }

    private static io.grpc.ClientInterceptor bearer() {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(
                io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + producer);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    /**
     * A {@code PublishRequest} whose {@code body} string holds the given bytes between two letters. Protobuf's own
     * builders refuse to make such a message, so it is written field by field.
     */
    private static byte[] invalidUtf8Body(int[] bytes) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(utf8("{\"claimId\": \"a"));
        for (int b : bytes) {
            body.write(b);
        }
        body.writeBytes(utf8("b\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CodedOutputStream coded = CodedOutputStream.newInstance(out);
        coded.writeString(1, "Claim");
        coded.writeString(2, "Submitted");
        coded.writeString(3, "Hostile");
        coded.writeMessage(6, Metadata.newBuilder().setTransactionId("tx-raw").build());
        coded.writeBytes(9, ByteString.copyFrom(body.toByteArray()));
        coded.flush();
        return out.toByteArray();
    }

    /** Calls {@code Publish} with a request already in protobuf's wire format. */
    private static PublishResponse publishRaw(byte[] request) {
        MethodDescriptor<byte[], PublishResponse> method = EventIntakeGrpc.getPublishMethod().toBuilder(
                        new MethodDescriptor.Marshaller<byte[]>() {
                            @Override
                            public InputStream stream(byte[] value) {
                                return new ByteArrayInputStream(value);
                            }

                            @Override
                            public byte[] parse(InputStream stream) {
                                throw new UnsupportedOperationException("requests only");
                            }
                        },
                        ProtoUtils.marshaller(PublishResponse.getDefaultInstance()))
                .build();
        return ClientCalls.blockingUnaryCall(
                io.grpc.ClientInterceptors.intercept(channel, bearer()),
                method,
                CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                request);
    }

    private static StatusRuntimeException refusal(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
    }

    private static void check(
            String what, StatusRuntimeException e, Status.Code code, String reason, long t0, List<String> wrong)
            throws Exception {
        long millis = (System.nanoTime() - t0) / 1_000_000;
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        List<String> reasons = new ArrayList<>();
        if (status != null) {
            for (var d : status.getDetailsList()) {
                if (d.is(ErrorInfo.class)) {
                    reasons.add(d.unpack(ErrorInfo.class).getReason());
                }
            }
        }
        if (e.getStatus().getCode() != code
                || status == null
                || (reason != null && !reasons.equals(List.of(reason)))
                || millis > 1000) {
            wrong.add(what + ": " + e.getStatus() + " " + reasons + " in " + millis + " ms");
        }
    }

    // -- Kafka
    // ---------------------------------------------------------------------------------------------------------

    private static Envelope envelope(String eventId, String body, int version) {
        Instant now = Instant.now();
        return new Envelope(
                eventId,
                "Claim",
                "Submitted",
                "Hostile",
                null,
                TYPE,
                new com.northwind.eventing.schema.Metadata("tx-dlq", "u-1", now, now, null, null, "portal"),
                List.of(),
                false,
                body,
                version,
                List.of());
    }

    /** The sum of the firehose's end offsets. */
    private static long firehoseEnd() throws Exception {
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers()))) {
            var partitions = admin.describeTopics(List.of("eventing.firehose"))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get("eventing.firehose")
                    .partitions();
            Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                    .collect(Collectors.toMap(
                            p -> new TopicPartition("eventing.firehose", p.partition()), p -> OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(o -> o.offset())
                    .sum();
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "hostile-it-" + UUID.randomUUID());
        KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        c.subscribe(List.of(topic));
        return c;
    }

    /** Reads the topic from its start until it has at least {@code count} records or the time is up. */
    private static List<ConsumerRecord<byte[], byte[]>> readUntil(String topic, int count, Duration limit) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + limit.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = consumer(topic)) {
            while (records.size() < count && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }

    /** The copy of one event on a topic, found by its {@code eventing-event-id} header. */
    private static ConsumerRecord<byte[], byte[]> readUntil(String topic, Duration limit, String eventId) {
        long deadline = System.nanoTime() + limit.toNanos();
        try (KafkaConsumer<byte[], byte[]> c = consumer(topic)) {
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    Header h = r.headers().lastHeader("eventing-event-id");
                    if (h != null && new String(h.value(), StandardCharsets.UTF_8).equals(eventId)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no copy of " + eventId + " on " + topic + " within " + limit);
    }
}
