package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import com.northwind.eventing.schema.grpc.Metadata;
import com.northwind.eventing.schema.grpc.PublishRequest;
import com.northwind.eventing.schema.grpc.PublishStreamResponse;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 3's bad inputs on the standalone jar, over REST and gRPC: each gets its status and problem type (its gRPC code
 * and {@code ErrorInfo} reason), and the firehose's end offsets do not move; a good event then moves them by one. A gRPC
 * stream of 10,000 events gets 10,000 receipts, in order.
 */
class StandaloneIntakeIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GOOD = """
            {"noun": "Claim", "verb": "Submitted", "object": "Intake", "metadata": {"transactionId": "tx-1"},
             "body": {"claimId": "C-1", "amount": 10}}
            """;

    @TempDir
    static Path dataDir;

    private static StandaloneProcess platform;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static String producer;
    private static String ungranted;
    private static String limited;

    @BeforeAll
    static void start() throws Exception {
        platform = new StandaloneProcess(dataDir);
        platform.start();
        String admin = platform.admin();
        String token = platform.adminToken();
        assertThat(platform.post(admin + "/v1/event-types", token, """
                                {"noun": "Claim", "verb": "Submitted", "object": "Intake", "owner": "claims",
                                 "schema": {"type": "object", "required": ["claimId"],
                                            "properties": {"claimId": {"type": "string"},
                                                           "amount": {"type": "number", "minimum": 0}}}}
                                """).statusCode())
                .isEqualTo(201);
        producer = appToken("""
                {"id": "portal", "team": "claims", "publish": ["Claim.*.*"],
                 "rateLimit": {"eventsPerSecond": 100000, "burst": 100000}}
                """);
        ungranted = appToken("""
                {"id": "bystander", "team": "bi", "publish": ["Member.*.*"]}
                """);
        limited = appToken("""
                {"id": "trickle", "team": "claims", "publish": ["Claim.*.*"],
                 "rateLimit": {"eventsPerSecond": 1, "burst": 1}}
                """);
        // The intake follows the registry topics: wait until it knows each token, then warm the Kafka path up.
        for (String t : List.of(producer, ungranted, limited)) {
            awaitKnown(t);
        }
        assertThat(rest("/v1/events", producer, "application/json", GOOD).statusCode())
                .isEqualTo(202);
    }

    /**
     * Sends an event the schema refuses until the answer is not 401. The rate limit comes before validation, so the
     * refused event spends one of the app's tokens: the burst below can only be refused more for it.
     */
    private static void awaitKnown(String appToken) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (rest("/v1/events", appToken, "application/json", GOOD.replace("\"claimId\"", "\"other\""))
                        .statusCode()
                == 401) {
            assertThat(System.nanoTime()).as("the intake knows the new token").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.shutDown();
        }
    }

    @Test
    void shouldRefuseEveryBadRestInputWithItsProblemAndWriteNothing() throws Exception {
        String oneMiB = "x".repeat(1024 * 1024);
        String batchOf501 =
                IntStream.range(0, 501).mapToObj(i -> GOOD).collect(Collectors.joining(",", "{\"events\": [", "]}"));
        long before = firehoseEnd();
        // Five at once from an app allowed one event a second with a burst of one: its burst and at most one refill
        // are accepted, so at least three are refused; only those accepted are written.
        List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            burst.add(
                    http.sendAsync(request("/v1/events", limited, "application/json", GOOD), BodyHandlers.ofString()));
        }
        int accepted = 0;
        int refused = 0;
        for (var f : burst) {
            HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
            if (r.statusCode() == 202) {
                accepted++;
            } else {
                assertProblem(r, 429, "rate-limited");
                assertThat(r.headers().firstValue("Retry-After")).isPresent();
                refused++;
            }
        }
        assertThat(refused).isGreaterThanOrEqualTo(3);

        assertProblem(rest("/v1/events", producer, "application/json", "{\"noun\": "), 400, "malformed-request");
        assertProblem(
                rest("/v1/events", producer, "application/json", GOOD.replace("\"tx-1\"", "17")),
                400,
                "malformed-request");
        assertProblem(
                rest(
                        "/v1/events",
                        producer,
                        "application/json",
                        GOOD.replace("\"metadata\"", "\"extra\": 1, \"metadata\"")),
                400,
                "malformed-request");
        assertProblem(rest("/v1/events", null, "application/json", GOOD), 401, "unauthorized");
        assertProblem(rest("/v1/events", "evt_not-a-token", "application/json", GOOD), 401, "unauthorized");
        assertProblem(rest("/v1/events", ungranted, "application/json", GOOD), 403, "forbidden");
        assertProblem(
                rest("/v1/events", producer, "application/json", GOOD.replace("\"C-1\"", "\"" + oneMiB + "\"")),
                413,
                "payload-too-large");
        assertProblem(rest("/v1/events/batch", producer, "application/json", batchOf501), 413, "payload-too-large");
        assertProblem(rest("/v1/events", producer, "text/plain", GOOD), 415, "unsupported-media-type");
        assertProblem(
                rest("/v1/events", producer, "application/json", GOOD.replace("\"Intake\"", "\"Unknown\"")),
                422,
                "unknown-event-type");
        HttpResponse<String> invalid = rest(
                "/v1/events",
                producer,
                "application/json",
                GOOD.replace("{\"claimId\": \"C-1\", \"amount\": 10}", "{\"claimId\": 7, \"amount\": -1}"));
        assertProblem(invalid, 422, "validation");
        assertThat(invalid.body()).contains("/body/claimId", "/body/amount");

        // The limited app's accepted events are the only ones written.
        assertThat(firehoseEnd())
                .as("the firehose's end offsets after the refusals")
                .isEqualTo(before + accepted);
        assertThat(rest("/v1/events", producer, "application/json", GOOD).statusCode())
                .isEqualTo(202);
        assertThat(firehoseEnd()).isEqualTo(before + accepted + 1);
    }

    @Test
    void shouldRefuseBadGrpcInputWithStatusDetailsAndAnswerAStreamOf10000InOrder() throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilderForAddress(
                        "127.0.0.1", platform.grpcPort, InsecureChannelCredentials.create())
                .build();
        try {
            PublishRequest good = PublishRequest.newBuilder()
                    .setNoun("Claim")
                    .setVerb("Submitted")
                    .setObject("Intake")
                    .setMetadata(Metadata.newBuilder().setTransactionId("tx-grpc"))
                    .setBody("{\"claimId\": \"C-1\", \"amount\": 10}")
                    .build();
            long before = firehoseEnd();

            StatusRuntimeException unknown =
                    refusal(() -> stub(channel, "evt_not-a-token").publish(good));
            assertThat(unknown.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(reasons(unknown)).containsExactly("unauthorized");
            StatusRuntimeException notGranted =
                    refusal(() -> stub(channel, ungranted).publish(good));
            assertThat(notGranted.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
            assertThat(reasons(notGranted)).containsExactly("forbidden");
            StatusRuntimeException invalid = refusal(() -> stub(channel, producer)
                    .publish(good.toBuilder()
                            .setBody("{\"claimId\": 7, \"amount\": -1}")
                            .build()));
            assertThat(invalid.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(reasons(invalid)).containsExactly("validation");
            assertThat(fieldViolations(invalid)).contains("/body/claimId", "/body/amount");
            StatusRuntimeException malformed = refusal(() -> stub(channel, producer)
                    .publish(good.toBuilder().setBody("{\"claimId\": ").build()));
            assertThat(malformed.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(reasons(malformed)).containsExactly("malformed-request");
            assertThat(firehoseEnd())
                    .as("the firehose's end offsets after the refusals")
                    .isEqualTo(before);

            int n = 10_000;
            List<Long> sequences = new CopyOnWriteArrayList<>();
            List<String> errors = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<PublishRequest> stream = EventIntakeGrpc.newStub(channel)
                    .withInterceptors(bearer(producer))
                    .publishStream(new StreamObserver<>() {
                        @Override
                        public void onNext(PublishStreamResponse r) {
                            sequences.add(r.getSequence());
                            if (!r.hasReceipt()) {
                                errors.add(r.getSequence() + ": " + r.getError().getMessage());
                            }
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(null);
                        }
                    });
            for (int i = 0; i < n; i++) {
                stream.onNext(good.toBuilder()
                        .setMetadata(Metadata.newBuilder().setTransactionId("tx-stream-" + i))
                        .build());
            }
            stream.onCompleted();
            done.get(120, TimeUnit.SECONDS);

            assertThat(errors).isEmpty();
            assertThat(sequences)
                    .containsExactlyElementsOf(
                            IntStream.range(0, n).mapToObj(i -> (long) i).toList());
            assertThat(firehoseEnd()).isEqualTo(before + n);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static String appToken(String json) throws Exception {
        HttpResponse<String> r = platform.post(platform.admin() + "/v1/apps", platform.adminToken(), json);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return JSON.readTree(r.body()).get("token").asString();
    }

    private static HttpResponse<String> rest(String path, String token, String contentType, String body)
            throws Exception {
        return http.send(request(path, token, contentType, body), BodyHandlers.ofString());
    }

    private static HttpRequest request(String path, String token, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.intake() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    /** A blocking stub that sends {@code token} and gives each call 30 s. */
    private static EventIntakeGrpc.EventIntakeBlockingStub stub(ManagedChannel channel, String token) {
        return EventIntakeGrpc.newBlockingStub(channel)
                .withDeadlineAfter(30, TimeUnit.SECONDS)
                .withInterceptors(bearer(token));
    }

    /** The {@code ErrorInfo} reasons in a refusal's {@code google.rpc.Status} details. */
    private static List<String> reasons(StatusRuntimeException e) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (var d : details(e).getDetailsList()) {
            if (d.is(ErrorInfo.class)) {
                reasons.add(d.unpack(ErrorInfo.class).getReason());
            }
        }
        return reasons;
    }

    /** The JSON Pointers of the {@code BadRequest} field violations in a refusal's details. */
    private static List<String> fieldViolations(StatusRuntimeException e) throws Exception {
        List<String> fields = new ArrayList<>();
        for (var d : details(e).getDetailsList()) {
            if (d.is(BadRequest.class)) {
                d.unpack(BadRequest.class).getFieldViolationsList().forEach(v -> fields.add(v.getField()));
            }
        }
        return fields;
    }

    private static com.google.rpc.Status details(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).as("google.rpc.Status details on %s", e.getStatus()).isNotNull();
        return status;
    }

    private static void assertProblem(HttpResponse<String> r, int status, String type) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("type").asString()).isEqualTo("urn:eventing:problem:" + type);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
    }

    private static io.grpc.ClientInterceptor bearer(String token) {
        io.grpc.Metadata headers = new io.grpc.Metadata();
        headers.put(
                io.grpc.Metadata.Key.of("authorization", io.grpc.Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static StatusRuntimeException refusal(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call was not refused");
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
}
