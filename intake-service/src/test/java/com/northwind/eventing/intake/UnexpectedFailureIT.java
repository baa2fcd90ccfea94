package com.northwind.eventing.intake;

import static com.northwind.eventing.intake.support.Events.app;
import static com.northwind.eventing.intake.support.Events.claim;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.rpc.ErrorInfo;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.RegistryTopics;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.intake.contract.GrpcTransport;
import com.northwind.eventing.intake.grpc.GrpcServer;
import com.northwind.eventing.intake.publish.EventTypeCatalog;
import com.northwind.eventing.intake.support.IntakePlatform;
import com.northwind.eventing.schema.grpc.EventIntakeGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * A failure nobody expected (here: a type whose schema does not compile reached the registry topic around the admin
 * API) is a 500 problem, or gRPC INTERNAL, carrying only a correlation id that the ERROR log line carries too; never a
 * 503 that would have the client retry a bug.
 */
@ExtendWith(KafkaClusterExtension.class)
class UnexpectedFailureIT {
    private static final String BROKEN = "Claim.Submitted.Broken";

    private static IntakePlatform platform;
    private static String token;
    private static final ListAppender<ILoggingEvent> errors = new ListAppender<>();

    @BeforeAll
    static void start(KafkaBroker kafka) throws Exception {
        platform = new IntakePlatform(kafka).start();
        token = platform.registerApp(app("unexpected", "Claim.*.*"));
        EventType broken = new EventType(
                "Claim",
                "Submitted",
                "Broken",
                "a type whose schema everit cannot compile",
                "t",
                1,
                null,
                List.of(new EventTypeVersion(1, IntakePlatform.json("{\"type\": 12}"), List.of(), Instant.now())),
                Instant.now(),
                Instant.now());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(kafka.clientConfig(Map.of()), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(
                            RegistryTopics.EVENT_TYPES, 0, BROKEN, RegistryTopics.JSON.writeValueAsBytes(broken)))
                    .get(10, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (platform.intake().getBean(EventTypeCatalog.class).find(BROKEN).isEmpty()) {
            assertThat(System.nanoTime()).as("the intake reads the type").isLessThan(deadline);
            Thread.sleep(20);
        }
        errors.start();
        for (String name : List.of(
                "com.northwind.eventing.intake.rest.EventServlet",
                "com.northwind.eventing.intake.grpc.EventIntakeService")) {
            ((Logger) LoggerFactory.getLogger(name)).addAppender(errors);
        }
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void shouldAnswerRest500WithOnlyACorrelationIdItsErrorLogLineCarries() {
        HttpResponse<String> r = platform.postEvent("/v1/events", token, claim("Broken", "tx-1"));

        JsonNode problem = IntakePlatform.json(r.body());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("Retry-After")).isEmpty();
        assertThat(problem.path("type").asString()).isEqualTo("urn:eventing:problem:internal");
        String id = problem.path("correlationId").asString();
        assertThat(id).hasSize(36);
        assertThat(problem.path("detail").asString()).doesNotContain("type").endsWith(id);
        assertThat(errorLinesWith(id)).hasSize(1);
    }

    @Test
    void shouldAnswerAnEventOfARestBatch500InItsLine() {
        HttpResponse<String> r =
                platform.postEvent("/v1/events/batch", token, "{\"events\": [" + claim("Broken", "tx-2") + "]}");

        JsonNode error = IntakePlatform.json(r.body()).at("/results/0/error");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(error.path("status").asInt()).isEqualTo(500);
        assertThat(errorLinesWith(error.path("correlationId").asString())).hasSize(1);
    }

    @Test
    void shouldAnswerGrpcInternalWithTheCorrelationIdInErrorInfo() throws Exception {
        ManagedChannel channel = Grpc.newChannelBuilder(
                        "127.0.0.1:"
                                + platform.intake().getBean(GrpcServer.class).port(),
                        InsecureChannelCredentials.create())
                .build();
        StatusRuntimeException e;
        try {
            e = org.assertj.core.api.Assertions.catchThrowableOfType(
                    StatusRuntimeException.class,
                    () -> GrpcTransport.withHeaders(EventIntakeGrpc.newBlockingStub(channel), token, null)
                            .publish(GrpcTransport.toRequest(claim("Broken", "tx-3"))));
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        ErrorInfo info = status.getDetails(0).unpack(ErrorInfo.class);
        assertThat(info.getReason()).isEqualTo("internal");
        assertThat(status.getDetailsCount()).isEqualTo(1);
        assertThat(errorLinesWith(info.getMetadataMap().get("correlationId"))).hasSize(1);
    }

    private static List<ILoggingEvent> errorLinesWith(String correlationId) {
        return errors.list.stream()
                .filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR)
                .filter(e -> e.getFormattedMessage().contains(correlationId))
                .toList();
    }
}
