package com.northwind.eventing.admin.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;
import com.northwind.eventing.common.registry.RestSchemaRegistryClient;
import com.northwind.eventing.common.serde.AvroWireDeserializer;
import com.northwind.eventing.common.serde.AvroWireSerializer;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(KafkaClusterExtension.class)
class SchemaRegistryIT {
    /** What Confluent's RestService sends as Content-Type on every request (its weighted Accept list). */
    private static final String CONFLUENT_CONTENT_TYPE =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String USER_V1 =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    private static final String USER_V2_NO_DEFAULT =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"}]}";
    private static final String USER_V2_WITH_DEFAULT =
            "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";

    private static KafkaBroker kafka;
    private static AdminApiServer api;

    @BeforeAll
    static void start(KafkaBroker broker) {
        kafka = broker;
        api = new AdminApiServer(broker).start();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void shouldRegisterAndReadBackByIdVersionAndLatest() {
        String subject = subject();

        Response registered = register(subject, USER_V1);
        int id = registered.json().path("id").asInt();
        Response byId = api.get("/schemas/ids/" + id);
        Response byVersion = api.get("/subjects/" + subject + "/versions/1");
        Response latest = api.get("/subjects/" + subject + "/versions/latest");
        Response raw = api.get("/subjects/" + subject + "/versions/1/schema");
        Response versions = api.get("/subjects/" + subject + "/versions");

        assertThat(registered.status()).isEqualTo(200);
        assertThat(registered.contentType()).startsWith("application/vnd.schemaregistry.v1+json");
        assertThat(id).isPositive();
        assertThat(byId.json().path("schema").asString()).isEqualTo(USER_V1);
        assertThat(byVersion.json().path("subject").asString()).isEqualTo(subject);
        assertThat(byVersion.json().path("version").asInt()).isEqualTo(1);
        assertThat(byVersion.json().path("id").asInt()).isEqualTo(id);
        assertThat(byVersion.json().path("schema").asString()).isEqualTo(USER_V1);
        assertThat(latest.json().path("version").asInt()).isEqualTo(1);
        assertThat(raw.body()).isEqualTo(USER_V1);
        assertThat(versions.body()).isEqualTo("[1]");
        assertThat(api.get("/subjects").json().toString()).contains("\"" + subject + "\"");
    }

    @Test
    void shouldKeepIdWhenSameSchemaIsRegisteredUnderAnotherSubjectOrAgain() {
        String first = subject();
        String second = subject();

        int id1 = register(first, USER_V1).json().path("id").asInt();
        int again = register(first, USER_V1).json().path("id").asInt();
        int id2 = register(second, USER_V1).json().path("id").asInt();
        int other = register(second, USER_V2_WITH_DEFAULT).json().path("id").asInt();

        assertThat(again).isEqualTo(id1);
        assertThat(id2).isEqualTo(id1);
        assertThat(other).isNotEqualTo(id1);
        assertThat(api.get("/subjects/" + first + "/versions").body()).isEqualTo("[1]");
        assertThat(api.get("/schemas/ids/" + id1 + "/subjects").json().toString())
                .contains(first)
                .contains(second);
    }

    @Test
    void shouldRefuseBackwardIncompatibleChangeWith409() {
        String subject = subject();
        register(subject, USER_V1);

        Response incompatible = register(subject, USER_V2_NO_DEFAULT);
        Response check =
                post("/compatibility/subjects/" + subject + "/versions/latest?verbose=true", USER_V2_NO_DEFAULT);
        Response compatible = register(subject, USER_V2_WITH_DEFAULT);

        assertThat(incompatible.status()).isEqualTo(409);
        assertThat(incompatible.json().path("error_code").asInt()).isEqualTo(409);
        assertThat(incompatible.json().path("message").asString())
                .startsWith("Schema being registered is incompatible with an earlier schema for subject \"" + subject
                        + "\"")
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(check.json().path("is_compatible").asBoolean()).isFalse();
        assertThat(check.json().path("messages")).isNotEmpty();
        assertThat(compatible.status()).isEqualTo(200);
        assertThat(api.get("/subjects/" + subject + "/versions").body()).isEqualTo("[1,2]");
    }

    @Test
    void shouldApplySubjectLevelCompatibility() {
        String none = subject();
        String forward = subject();
        register(none, USER_V1);
        register(forward, USER_V2_WITH_DEFAULT);

        Response setNone = put("/config/" + none, "{\"compatibility\": \"NONE\"}");
        Response anything = register(none, USER_V2_NO_DEFAULT);
        put("/config/" + forward, "{\"compatibility\": \"FORWARD\"}");
        // Dropping a field with a default: the old schema still reads new data (it fills the default).
        Response dropDefaulted = register(forward, USER_V1);
        Response level = api.get("/config/" + forward);
        Response unset = api.get("/config/" + subject());
        Response unsetDefault = api.get("/config/" + subject() + "?defaultToGlobal=true");

        assertThat(setNone.json().path("compatibility").asString()).isEqualTo("NONE");
        assertThat(anything.status()).isEqualTo(200);
        assertThat(dropDefaulted.status()).isEqualTo(200);
        assertThat(level.json().path("compatibilityLevel").asString()).isEqualTo("FORWARD");
        assertThat(unset.status()).isEqualTo(404);
        assertThat(unset.json().path("error_code").asInt()).isEqualTo(40408);
        assertThat(unsetDefault.json().path("compatibilityLevel").asString()).isEqualTo("BACKWARD");
    }

    @Test
    void shouldCheckEveryEarlierVersionWhenTransitive() {
        String subject = subject();
        put("/config/" + subject, "{\"compatibility\": \"NONE\"}");
        register(subject, USER_V1);
        register(subject, USER_V2_NO_DEFAULT);
        put("/config/" + subject, "{\"compatibility\": \"BACKWARD_TRANSITIVE\"}");
        // Reads v2 (age present) but not v1 data (age missing, no default).
        String v3 =
                "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"test\",\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\"},{\"name\":\"x\",\"type\":\"int\",\"default\":1}]}";

        Response transitive = register(subject, v3);
        put("/config/" + subject, "{\"compatibility\": \"BACKWARD\"}");
        Response latestOnly = register(subject, v3);

        assertThat(transitive.status()).isEqualTo(409);
        assertThat(latestOnly.status()).isEqualTo(200);
    }

    @Test
    void shouldAnswerConfluentErrorCodes() {
        String subject = subject();
        register(subject, USER_V1);

        Response noSubject = api.get("/subjects/" + subject() + "/versions");
        Response noVersion = api.get("/subjects/" + subject + "/versions/9");
        Response badVersion = api.get("/subjects/" + subject + "/versions/0");
        Response noSchema = api.get("/schemas/ids/987654");
        Response notUnderSubject = post("/subjects/" + subject, USER_V2_WITH_DEFAULT);
        Response invalid =
                register(subject, "{\"type\": \"record\", \"name\": \"X\", \"fields\": [{\"name\": \"a\"}]}");
        Response notJson = register(subject, "not a schema");
        Response badLevel = put("/config", "{\"compatibility\": \"SOMETIMES\"}");

        assertError(noSubject, 404, 40401);
        assertError(noVersion, 404, 40402);
        assertError(badVersion, 422, 42202);
        assertError(noSchema, 404, 40403);
        assertError(notUnderSubject, 404, 40403);
        assertError(invalid, 422, 42201);
        assertError(notJson, 422, 42201);
        assertError(badLevel, 422, 42203);
        assertThat(api.get("/config").json().path("compatibilityLevel").asString())
                .isEqualTo("BACKWARD");
    }

    @Test
    void shouldSoftDeleteThenPermanentlyDeleteSubject() {
        String subject = subject();
        int id = register(subject, USER_V1).json().path("id").asInt();

        Response premature = api.delete("/subjects/" + subject + "?permanent=true");
        Response soft = api.delete("/subjects/" + subject);
        Response afterSoft = api.get("/subjects/" + subject + "/versions");
        Response listedDeleted = api.get("/subjects?deleted=true");
        Response permanent = api.delete("/subjects/" + subject + "?permanent=true");

        assertError(premature, 404, 40407);
        assertThat(soft.body()).isEqualTo("[1]");
        assertError(afterSoft, 404, 40401);
        assertThat(listedDeleted.json().toString()).contains(subject);
        assertThat(permanent.body()).isEqualTo("[1]");
        assertThat(api.get("/subjects?deleted=true").json().toString()).doesNotContain(subject);
        // Ids stay readable: data written with them must still be decodable.
        assertThat(api.get("/schemas/ids/" + id).status()).isEqualTo(200);
    }

    @Test
    void shouldServeConfluentClientRequestsAsItSendsThem() throws Exception {
        // Replays Confluent's RestService: HttpURLConnection, its weighted list as Content-Type, no Accept of its own,
        // and its query parameters.
        String subject = subject();
        String body = JSON.writeValueAsString(Map.of("schema", USER_V1));

        JsonNode registered = confluentCall("POST", "/subjects/" + subject + "/versions?normalize=false", body);
        int id = registered.path("id").asInt();
        JsonNode byId = confluentCall("GET", "/schemas/ids/" + id + "?fetchMaxId=false&subject=" + subject, null);
        JsonNode lookedUp = confluentCall("POST", "/subjects/" + subject + "?normalize=false&deleted=false", body);
        JsonNode latest = confluentCall("GET", "/subjects/" + subject + "/versions/latest", null);
        JsonNode compat = confluentCall(
                "POST",
                "/compatibility/subjects/" + subject + "/versions/latest",
                JSON.writeValueAsString(Map.of("schema", USER_V2_WITH_DEFAULT)));
        JsonNode config = confluentCall("PUT", "/config/" + subject, "{\"compatibility\":\"FULL\"}");

        assertThat(id).isPositive();
        assertThat(byId.path("schema").asString()).isEqualTo(USER_V1);
        assertThat(lookedUp.path("id").asInt()).isEqualTo(id);
        assertThat(lookedUp.path("version").asInt()).isEqualTo(1);
        assertThat(latest.path("id").asInt()).isEqualTo(id);
        assertThat(compat.path("is_compatible").asBoolean()).isTrue();
        assertThat(config.path("compatibility").asString()).isEqualTo("FULL");
    }

    @Test
    void shouldRoundTripWireFormatRecordsThroughKafka() {
        String topic = "sr-roundtrip-" + UUID.randomUUID();
        Schema schema = new Schema.Parser().parse(USER_V1);
        GenericRecord user = new GenericData.Record(schema);
        user.put("name", "Ada");
        RestSchemaRegistryClient client =
                new RestSchemaRegistryClient(api.baseUrl(), "Bearer " + AdminApiServer.ADMIN_TOKEN);

        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(
                kafka.clientConfig(Map.of()), new StringSerializer(), new AvroWireSerializer<>(client, true))) {
            producer.send(new ProducerRecord<>(topic, "k", user)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        byte[] bytes = readOne(topic);
        int registeredId = api.get("/subjects/" + topic + "-value/versions/latest")
                .json()
                .path("id")
                .asInt();
        AvroWireDeserializer<GenericRecord> deserializer =
                new AvroWireDeserializer<>(new RestSchemaRegistryClient(api.baseUrl()), null, false);
        GenericRecord read = deserializer.deserialize(topic, bytes);

        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registeredId);
        assertThat(read.get("name").toString()).isEqualTo("Ada");
    }

    @Test
    void shouldServeNoRegistryWhenAnExternalOneIsConfigured() {
        try (AdminApiServer external =
                new AdminApiServer(kafka, "--eventing.schema-registry.url=http://127.0.0.1:18085").start()) {
            Response subjects = external.get("/subjects");
            Response admin = external.get("/v1/event-types");

            assertThat(subjects.status()).isEqualTo(404);
            assertThat(admin.status()).isEqualTo(200);
        }
    }

    private static byte[] readOne(String topic) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                kafka.clientConfig(Map.of(
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "it-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest")),
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<byte[]> values = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            assertThat(values).hasSize(1);
            return values.get(0);
        }
    }

    private static JsonNode confluentCall(String method, String path, String body) throws Exception {
        HttpURLConnection c =
                (HttpURLConnection) URI.create(api.baseUrl() + path).toURL().openConnection();
        c.setRequestMethod(method);
        c.setRequestProperty("Content-Type", CONFLUENT_CONTENT_TYPE);
        // As Confluent's client sends basic.auth.user.info with basic.auth.credentials.source=USER_INFO.
        c.setRequestProperty(
                "Authorization",
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        ("admin:" + AdminApiServer.ADMIN_TOKEN).getBytes(StandardCharsets.UTF_8)));
        c.setUseCaches(false);
        if (body != null) {
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status == 200 ? c.getInputStream() : c.getErrorStream()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            in.transferTo(bytes);
            String text = bytes.toString(StandardCharsets.UTF_8);
            assertThat(status).as("%s %s answered %s", method, path, text).isEqualTo(200);
            return JSON.readTree(text);
        } finally {
            c.disconnect();
        }
    }

    private static void assertError(Response r, int status, int errorCode) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error_code").asInt()).as(r.body()).isEqualTo(errorCode);
        assertThat(r.json().path("message").asString()).isNotBlank();
    }

    private static String subject() {
        return "it-" + UUID.randomUUID() + "-value";
    }

    private static Response register(String subject, String schema) {
        return post("/subjects/" + subject + "/versions", schema);
    }

    private static Response post(String path, String schema) {
        String body = JSON.writeValueAsString(Map.of("schema", schema));
        return api.send(api.request(path, true)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static Response put(String path, String body) {
        return api.send(api.request(path, true)
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }
}
