package com.northwind.eventing.admin.replay;

import static com.northwind.eventing.admin.replay.ReplayBed.OTHER_TYPE;
import static com.northwind.eventing.admin.replay.ReplayBed.TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import com.northwind.eventing.admin.eventtype.EventTypeService;
import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.common.testing.KafkaBroker;
import com.northwind.eventing.common.testing.KafkaClusterExtension;
import com.northwind.eventing.schema.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The replay's in-memory matcher and the search's MongoDB query, run on one corpus (stored in mongo-java-server as
 * the sink stores it): for every parameter combination both select the same events.
 */
@ExtendWith(KafkaClusterExtension.class)
class EventMatcherIT {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant START =
            Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofHours(5));
    private static ReplayBed bed;
    private static final Map<String, Envelope> events = new HashMap<>();
    private static final Map<String, EventType> types = new HashMap<>();

    @BeforeAll
    static void start(KafkaBroker kafka) throws Exception {
        bed = new ReplayBed(kafka);
        bed.api
                .context()
                .getBean(EventTypeService.class)
                .list()
                .forEach(t -> types.put(t.name().toString(), t));
        Random random = new Random(11);
        List<String> statuses = List.of("DENIED", "APPROVED", "100", "true");
        List<String> amounts = List.of("100", "100.0", "100.5", "\"100\"", "true", "7");
        for (int i = 0; i < 600; i++) {
            List<String> tags = new ArrayList<>();
            for (String t : List.of("state:TX", "state:CA", "channel:web")) {
                if (random.nextInt(3) == 0) {
                    tags.add(t);
                }
            }
            String body = "{\"claimId\":\"C-" + i + "\",\"status\":\"" + statuses.get(random.nextInt(4))
                    + "\",\"amount\":" + amounts.get(random.nextInt(amounts.size()))
                    + ",\"note\":\"" + (random.nextBoolean() ? "urgent dental review" : "vision") + "\""
                    + ",\"items\":[{\"code\":\"A" + random.nextInt(3) + "\"},{\"code\":\"B" + random.nextInt(3)
                    + "\"}],\"codes\":[\"x" + random.nextInt(3) + "\",\"y\"]"
                    + ",\"member\":{\"id\":\"M-" + random.nextInt(5) + "\",\"ssn\":\"123-45-678" + random.nextInt(3)
                    + "\"}}";
            Envelope e = ReplayBed.envelope(
                    random.nextInt(3) == 0 ? OTHER_TYPE : TYPE,
                    START.plusSeconds(random.nextInt(4 * 3600)),
                    tags,
                    random.nextInt(8) == 0,
                    body);
            e.getMetadata().setUserId(random.nextInt(5) == 0 ? null : "u-" + random.nextInt(3));
            e.getMetadata().setProducerApp(random.nextBoolean() ? "claims-intake" : "claims-portal");
            events.put(e.getEventId(), e);
            byte[] doc = StoreDocument.build(e, types.get(e.getEventType()), "eventing.firehose", 0, i)
                    .orElseThrow();
            bed.mongo.events().insertOne(Document.parse(new String(doc, StandardCharsets.UTF_8)));
        }
    }

    @AfterAll
    static void stop() {
        bed.close();
    }

    static Stream<String> filters() {
        return Stream.of(
                "{}",
                "{\"synthetic\": \"any\"}",
                "{\"synthetic\": true}",
                "{\"type\": \"" + TYPE + "\"}",
                "{\"type\": \"Claim.*.Other\"}",
                "{\"type\": \"*.Submitted.*\", \"synthetic\": \"any\"}",
                "{\"tag\": \"state:TX\"}",
                "{\"tag\": [\"state:TX\", \"channel:web\"]}",
                "{\"producerApp\": \"claims-portal\"}",
                "{\"userId\": \"u-1\"}",
                "{\"q\": \"urgent DENTAL\"}",
                "{\"q\": \"claim denied\"}",
                "{\"q\": \"123\"}",
                "{\"where\": \"/status:DENIED\"}",
                "{\"where\": \"/status:100\"}",
                "{\"where\": \"/status:true\"}",
                "{\"where\": \"/amount:100\"}",
                "{\"where\": \"/amount:100.5\"}",
                "{\"where\": \"/amount:true\"}",
                "{\"where\": \"/items/code:A1\"}",
                "{\"where\": \"/items/0/code:A2\"}",
                "{\"where\": \"/items/1/code:A2\"}",
                "{\"where\": \"/codes:x1\"}",
                "{\"where\": \"/codes/0:x2\"}",
                "{\"where\": \"/member/ssn:123-45-6781\"}",
                "{\"where\": \"/member/ssn:***REDACTED***\"}",
                "{\"where\": [\"/member/id:M-2\", \"/status:APPROVED\"], \"tag\": \"state:CA\"}",
                "{\"where\": \"/missing:x\"}",
                "{\"type\": \"Claim.*.*\", \"tag\": \"state:TX\", \"synthetic\": \"any\", \"q\": \"vision\","
                        + " \"where\": \"/amount:7\", \"producerApp\": \"claims-intake\"}");
    }

    @ParameterizedTest
    @MethodSource("filters")
    void shouldSelectWhatTheStoreQuerySelectsWhenGivenTheSameParameters(String filter) throws Exception {
        // given
        JsonNode f = JSON.readTree(filter);
        ReplaySelection selection = ReplaySelection.of(
                JSON.getNodeFactory().stringNode(START.plusSeconds(1800).toString()),
                JSON.getNodeFactory().stringNode(START.plusSeconds(3 * 3600).toString()),
                f,
                Clock.systemUTC());
        EventMatcher matcher = new EventMatcher(selection);

        // when
        TreeSet<String> inMemory = new TreeSet<>();
        long offset = 0;
        for (Envelope e : events.values()) {
            long at = offset++;
            if (matcher.matches(
                    e,
                    () -> StoreDocument.build(e, types.get(e.getEventType()), "t", 0, at)
                            .map(b -> Document.parse(new String(b, StandardCharsets.UTF_8))))) {
                inMemory.add(e.getEventId());
            }
        }
        TreeSet<String> inStore = new TreeSet<>();
        bed.mongo.events().find(selection.query().bson()).forEach(d -> inStore.add(d.getString("_id")));

        // then
        assertThat(inMemory).isEqualTo(inStore);
        assertThat(Optional.of(filter)).isNotEmpty();
    }
}
