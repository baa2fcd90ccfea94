package com.northwind.eventing.admin.store;

import com.mongodb.client.MongoCollection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.bson.Document;

/**
 * Generated stored events in the contract's document shape (docs/event-store.md), as the sink would write them, and
 * the same events as plain records, so that a test computes what a search must find without asking the store.
 */
final class Corpus {
    static final List<String> TYPES = List.of(
            "Claim.Submitted.Reconsideration",
            "Claim.Submitted.Initial",
            "Claim.Denied.Appeal",
            "Member.Enrolled.Plan");
    static final List<String> TAGS = List.of("state:TX", "state:CA", "channel:web", "priority:high");
    static final List<String> STATUSES = List.of("DENIED", "APPROVED", "PENDING");
    static final List<String> APPS = List.of("claims-intake", "claims-portal", "member-hub");
    static final List<String> WORDS =
            List.of("denied", "reconsideration", "urgent", "review", "appeal", "member", "dental", "vision");

    /** One stored event as the test knows it. */
    record Event(
            String eventId,
            String eventType,
            Instant receivedAt,
            List<String> tags,
            boolean synthetic,
            String producerApp,
            String transactionId,
            String userId,
            String status,
            int amount,
            Set<String> words,
            Instant expiresAt) {
        String noun() {
            return eventType.split("\\.")[0];
        }

        String verb() {
            return eventType.split("\\.")[1];
        }

        String object() {
            return eventType.split("\\.")[2];
        }
    }

    /** Newest first, as the search answers: receivedAt descending, then eventId descending. */
    static final Comparator<Event> NEWEST_FIRST = Comparator.comparing(Event::receivedAt)
            .thenComparing(Event::eventId)
            .reversed();

    private final Random random;
    private final List<Event> events = new ArrayList<>();

    Corpus(long seed) {
        this.random = new Random(seed);
    }

    List<Event> events() {
        return events;
    }

    List<Event> where(Predicate<Event> predicate) {
        return events.stream().filter(predicate).sorted(NEWEST_FIRST).toList();
    }

    /**
     * Makes {@code count} events received between {@code start} and {@code start + span}, some sharing a millisecond
     * with the one before (so paging has ties to break), and stores them.
     */
    List<Event> add(MongoCollection<Document> into, String idPrefix, int count, Instant start, Duration span) {
        List<Event> made = new ArrayList<>();
        Instant previous = start;
        for (int i = 0; i < count; i++) {
            Instant at = random.nextInt(10) == 0
                    ? previous
                    : start.plusMillis((long) (random.nextDouble() * span.toMillis()));
            previous = at;
            List<String> tags = new ArrayList<>();
            for (String tag : TAGS) {
                if (random.nextInt(3) == 0) {
                    tags.add(tag);
                }
            }
            Set<String> words = new LinkedHashSet<>();
            for (int w = random.nextInt(4); w > 0; w--) {
                words.add(WORDS.get(random.nextInt(WORDS.size())));
            }
            Event e = new Event(
                    idPrefix + String.format("%05d", i) + "-" + Integer.toHexString(random.nextInt(0x10000)),
                    TYPES.get(random.nextInt(TYPES.size())),
                    at,
                    tags,
                    random.nextInt(10) == 0,
                    APPS.get(random.nextInt(APPS.size())),
                    "tx-" + random.nextInt(800),
                    "u-" + random.nextInt(60),
                    STATUSES.get(random.nextInt(STATUSES.size())),
                    random.nextInt(1000),
                    words,
                    at.plus(Duration.ofDays(30)));
            made.add(e);
        }
        return store(into, made);
    }

    /** Stores events the test made itself, and knows them from then on. */
    List<Event> store(MongoCollection<Document> into, List<Event> made) {
        events.addAll(made);
        into.insertMany(made.stream().map(Corpus::document).toList());
        return made;
    }

    static Document document(Event e) {
        List<String> terms = new ArrayList<>();
        for (String part : e.eventType().split("\\.")) {
            terms.add(part.toLowerCase(java.util.Locale.ROOT));
        }
        terms.addAll(e.words());
        return new Document("_id", e.eventId())
                .append("eventId", e.eventId())
                .append("eventType", e.eventType())
                .append("noun", e.noun())
                .append("verb", e.verb())
                .append("object", e.object())
                .append("subObject", null)
                .append(
                        "metadata",
                        new Document("transactionId", e.transactionId())
                                .append("userId", e.userId())
                                .append("occurredAt", Date.from(e.receivedAt().minusMillis(5)))
                                .append("receivedAt", Date.from(e.receivedAt()))
                                .append("transactionType", null)
                                .append("sourceSystem", "claims-core")
                                .append("producerApp", e.producerApp()))
                .append("tags", e.tags())
                .append("synthetic", e.synthetic())
                .append(
                        "body",
                        new Document("claimId", "C-" + e.eventId())
                                .append("status", e.status())
                                .append("amount", e.amount())
                                .append("note", String.join(" ", e.words()))
                                .append("member", new Document("ssn", "***REDACTED***")))
                .append("bodySchemaVersion", 1)
                .append("storePolicy", "REDACT")
                .append("redactedPaths", List.of("/member/ssn"))
                .append("searchTerms", terms)
                .append("expiresAt", Date.from(e.expiresAt()))
                .append(
                        "firehose",
                        new Document("topic", "eventing.firehose")
                                .append("partition", 0)
                                .append("offset", 1L));
    }
}
