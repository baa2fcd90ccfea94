package com.northwind.eventing.load;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import com.northwind.eventing.common.model.SensitiveField;
import com.northwind.eventing.common.model.StorePolicy;
import com.northwind.eventing.common.store.StoreDocument;
import com.northwind.eventing.schema.Envelope;
import com.northwind.eventing.schema.Metadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.bson.RawBsonDocument;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The store benchmark's synthetic events, as stored documents built by {@link StoreDocument} from envelopes, so that
 * they have the production shape exactly. Event {@code i} is a function of {@code i} and the seeding's start: its
 * transaction ({@link #transactionId}: blocks of 14 events hold transactions of 2, 3, 4 and 5 events), its type (one
 * of {@link #TYPES}), its tags ({@code state:<XX>}, one of ten states, the transaction's, and a channel), and its
 * {@code receivedAt}: its transaction's time, spread over the 24 hours before the start, plus a second per event.
 * Every type marks {@code /member/ssn} as PHI under the default policy, so each body is stored redacted.
 */
final class SeedEvents {
    static final List<String> TYPES = List.of(
            "Claim.Submitted.Reconsideration",
            "Claim.Adjudicated.Payment",
            "Member.Enrolled.Plan",
            "Provider.Updated.Address",
            "Authorization.Requested.Procedure");
    static final List<String> STATES = List.of("TX", "CA", "NY", "FL", "IL", "PA", "OH", "GA", "NC", "MI");
    /** Every seeded document's {@code metadata.sourceSystem}: how the benchmark counts its own documents. */
    static final String SOURCE_SYSTEM = "load-tool-seed";
    /** Each block of this many events holds four transactions, of 2, 3, 4 and 5 events. */
    static final int BLOCK = 14;

    private static final int[] STARTS = {0, 2, 5, 9};
    private static final String[] CHANNELS = {"channel:portal", "channel:fax", "channel:edi"};
    private static final long DAY_MILLIS = Duration.ofDays(1).toMillis();

    private final Instant start;
    private final Bodies bodies;
    private final List<StoreDocument.Plan> plans;

    SeedEvents(Instant start, int bodyBytes) {
        this.start = start;
        this.bodies = new Bodies(bodyBytes);
        this.plans = TYPES.stream().map(SeedEvents::plan).toList();
    }

    /** The transaction of event {@code i}. */
    static String transactionId(long i) {
        return "seed-tx-" + transactionNumber(i);
    }

    static long transactionNumber(long i) {
        long block = i / BLOCK;
        int within = (int) (i % BLOCK);
        int t = 3;
        while (STARTS[t] > within) {
            t--;
        }
        return block * 4 + t;
    }

    /** Event {@code i}'s document, as the sink would store it. */
    RawBsonDocument document(long i) {
        long tx = transactionNumber(i);
        SplittableRandom txRandom = new SplittableRandom(20261205L + tx * 0x9E3779B97F4A7C15L);
        long txMillis = start.toEpochMilli() - 60_000 - txRandom.nextLong(DAY_MILLIS - 60_000);
        String state = STATES.get(txRandom.nextInt(STATES.size()));
        SplittableRandom random = new SplittableRandom(20261206L + i * 0x9E3779B97F4A7C15L);
        int type = random.nextInt(TYPES.size());
        String[] name = TYPES.get(type).split("\\.");
        Instant received = Instant.ofEpochMilli(txMillis + 1000 * (i - firstOf(tx)));
        Envelope envelope = Envelope.newBuilder()
                .setEventId(String.format(Locale.ROOT, "0193f7c2-5eed-7000-8000-%012x", i))
                .setNoun(name[0])
                .setVerb(name[1])
                .setObject(name[2])
                .setEventType(TYPES.get(type))
                .setMetadata(Metadata.newBuilder()
                        .setTransactionId(transactionId(i))
                        .setUserId("u-" + random.nextInt(5000))
                        .setOccurredAt(received.minusMillis(random.nextInt(1000)))
                        .setReceivedAt(received)
                        .setTransactionType("ONLINE")
                        .setSourceSystem(SOURCE_SYSTEM)
                        .setProducerApp("load-seed")
                        .build())
                .setTags(List.of("state:" + state, CHANNELS[random.nextInt(CHANNELS.length)]))
                .setSynthetic(random.nextInt(20) == 0)
                .setBody(bodies.next((int) i))
                .setBodySchemaVersion(1)
                .build();
        byte[] json = StoreDocument.build(envelope, plans.get(type), "eventing.firehose", (int) (i % 6), i / 6)
                .orElseThrow();
        return RawBsonDocument.parse(new String(json, StandardCharsets.UTF_8));
    }

    private static long firstOf(long transaction) {
        return transaction / 4 * BLOCK + STARTS[(int) (transaction % 4)];
    }

    private static StoreDocument.Plan plan(String type) {
        String[] name = type.split("\\.");
        Instant created = Instant.parse("2026-12-01T00:00:00Z");
        EventType t = new EventType(
                name[0],
                name[1],
                name[2],
                "Events the store benchmark seeds",
                "load-tool",
                90,
                null,
                List.of(new EventTypeVersion(
                        1,
                        JsonNodeFactory.instance.objectNode().put("type", "object"),
                        List.of(new SensitiveField("/member/ssn", "PHI")),
                        StorePolicy.REDACT,
                        created)),
                created,
                created);
        return StoreDocument.plan(t, 1);
    }
}
