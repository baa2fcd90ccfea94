package com.northwind.eventing.load;

import static com.mongodb.client.model.Filters.all;
import static com.mongodb.client.model.Filters.and;
import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Filters.gte;
import static com.mongodb.client.model.Filters.lt;
import static com.mongodb.client.model.Filters.ne;

import com.mongodb.ErrorCategory;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.conversions.Bson;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code --mode=store-query}: how fast the event store answers a transaction lookup and the first page of a type +
 * tag + time search. Seeds the store through the MongoDB driver to {@code --documents} documents of its own
 * ({@link SeedEvents}; what is there already is counted and not seeded again), then times, with the admin token,
 * {@code --lookups} {@code GET /v1/transactions/{id}} of random seeded transactions and {@code --searches} first pages
 * of {@code GET /v1/events?type=<one type>&tag=state:TX&from=<1 h ago>&to=<now>&limit=50}, and the same two queries
 * straight through the driver, so that what the store costs shows apart from what HTTP and admin-api add.
 *
 * <p>The driver queries are built here as admin-api's {@code EventSearch} and {@code EventFilter} build them (the same
 * filter, sort, projection and limit): those classes belong to the admin-api application and are not a library.
 * The measuring (not the seeding) stops when {@code --budget} is spent and reports what ran.
 */
final class StoreQuery {
    static final double LOOKUP_TARGET_MS = 50;
    static final double SEARCH_TARGET_MS = 200;
    static final String SEARCH_TAG = "state:TX";
    static final int PAGE = 50;
    /** What admin-api's transaction lookup asks for: its most events and one more, to tell a cut answer. */
    static final int TRANSACTION_LIMIT = 1001;

    private static final int BATCH = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the mode takes; see {@link #of}. */
    record Options(
            String admin,
            String storeUri,
            String database,
            String collection,
            int documents,
            int lookups,
            int searches,
            int warmup,
            Duration requestTimeout,
            Duration budget,
            int bodyBytes) {
        static Options of(Map<String, String> o) {
            return new Options(
                    Args.httpUrl(o, "admin", "http://127.0.0.1:8081"),
                    o.getOrDefault("store-uri", "mongodb://127.0.0.1:27017"),
                    o.getOrDefault("store-database", "eventing"),
                    o.getOrDefault("store-collection", "events"),
                    Args.integer(o, "documents", 1_000_000, 0, 100_000_000),
                    Args.integer(o, "lookups", 200, 0, 1_000_000),
                    Args.integer(o, "searches", 50, 0, 1_000_000),
                    Args.integer(o, "warmup", 3, 0, 1000),
                    Args.duration(o, "request-timeout", Duration.ofMinutes(2), Duration.ofMillis(1)),
                    Args.duration(o, "budget", Duration.ofMinutes(30), Duration.ofSeconds(1)),
                    Args.integer(o, "body-bytes", 300, 1, 100_000));
        }
    }

    /** The timings of one kind of query. */
    static final class Series {
        final String name;
        final double targetMs;
        final int asked;
        final Latencies latencies;
        final Map<String, Integer> failures = new LinkedHashMap<>();
        long items;

        Series(String name, double targetMs, int asked) {
            this.name = name;
            this.targetMs = targetMs;
            this.asked = asked;
            this.latencies = new Latencies(Math.max(asked, 1));
        }

        void answered(long nanos, int found) {
            latencies.record(nanos);
            items += found;
        }

        void failed(String why) {
            failures.merge(why, 1, Integer::sum);
        }

        int ran() {
            return latencies.count()
                    + failures.values().stream().mapToInt(Integer::intValue).sum();
        }

        /** Met when every query asked for ran, none failed, and the p99 is under the target. */
        String verdict() {
            if (latencies.count() == 0) {
                return "not measured";
            }
            boolean under = latencies.percentile(99) / 1e6 < targetMs;
            if (ran() < asked || !failures.isEmpty()) {
                return (under ? "under" : "NOT under") + " on what ran";
            }
            return under ? "met" : "NOT met";
        }

        static String header() {
            return String.format(
                    Locale.ROOT,
                    "%-34s %9s %9s %10s %10s %10s %8s %9s  %s",
                    "query",
                    "ran/asked",
                    "answered",
                    "p50 ms",
                    "p99 ms",
                    "max ms",
                    "target",
                    "per answer",
                    "verdict");
        }

        String line() {
            int n = latencies.count();
            return String.format(
                    Locale.ROOT,
                    "%-34s %4d/%-4d %9d %10.1f %10.1f %10.1f %8s %9.1f  %s",
                    name,
                    ran(),
                    asked,
                    n,
                    n == 0 ? Double.NaN : latencies.percentile(50) / 1e6,
                    n == 0 ? Double.NaN : latencies.percentile(99) / 1e6,
                    n == 0 ? Double.NaN : latencies.percentile(100) / 1e6,
                    String.format(Locale.ROOT, "%.0f ms", targetMs),
                    n == 0 ? Double.NaN : items / (double) n,
                    verdict());
        }
    }

    private final Options options;
    private final String adminToken;
    private final HttpClient http;

    StoreQuery(Options options, String adminToken) {
        this.options = options;
        this.adminToken = adminToken;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Seeds, measures and prints; answers the four series (none when nothing was seeded to look up). */
    List<Series> run() throws Exception {
        try (MongoClient client = MongoClients.create(options.storeUri())) {
            MongoCollection<RawBsonDocument> raw =
                    client.getDatabase(options.database()).getCollection(options.collection(), RawBsonDocument.class);
            long start = System.nanoTime();
            long seeded = seed(raw, options.documents(), options.bodyBytes(), Instant.now());
            System.out.printf(
                    "seeded %d documents in %.1f s; the store holds %d%n",
                    seeded, (System.nanoTime() - start) / 1e9, raw.estimatedDocumentCount());
            if (options.documents() == 0) {
                System.out.println("no seeded documents (--documents=0): nothing to look up");
                return List.of();
            }
            long deadline = System.nanoTime() + options.budget().toNanos();
            List<Series> series = measure(raw.withDocumentClass(Document.class), deadline);
            System.out.println(Series.header());
            series.forEach(s -> System.out.println(s.line()));
            for (Series s : series) {
                s.failures.forEach((why, n) -> System.out.printf("  %s: %d x %s%n", s.name, n, why));
            }
            if (System.nanoTime() >= deadline) {
                System.out.println("the budget of " + options.budget() + " was spent before every query ran");
            }
            return series;
        }
    }

    /**
     * Inserts the seed's documents up to {@code documents} of them, in unordered batches of 1,000 (the next batch is
     * built while one is written); answers how many it inserted. What is there already is counted first; a document
     * already stored (a seeding cut short mid-batch) is skipped.
     */
    static long seed(MongoCollection<RawBsonDocument> events, int documents, int bodyBytes, Instant now)
            throws Exception {
        long there = events.estimatedDocumentCount() == 0
                ? 0
                : events.countDocuments(eq("metadata.sourceSystem", SeedEvents.SOURCE_SYSTEM));
        if (there >= documents) {
            System.out.printf("the store holds %d seeded documents already: no seeding%n", there);
            return 0;
        }
        System.out.printf("seeding %d documents (%d there already)%n", documents - there, there);
        SeedEvents seed = new SeedEvents(now, bodyBytes);
        ExecutorService writer = Executors.newSingleThreadExecutor(r -> new Thread(r, "store-query-seed"));
        long inserted = 0;
        long reported = System.nanoTime();
        try {
            Future<Long> pending = null;
            for (long i = there; i < documents; i += BATCH) {
                List<RawBsonDocument> batch = new ArrayList<>(BATCH);
                for (long k = i; k < Math.min(documents, i + BATCH); k++) {
                    batch.add(seed.document(k));
                }
                if (pending != null) {
                    inserted += pending.get();
                }
                pending = writer.submit(() -> insert(events, batch));
                if (System.nanoTime() - reported > 10_000_000_000L) {
                    reported = System.nanoTime();
                    System.out.printf("  %d of %d seeded%n", there + inserted, documents);
                }
            }
            if (pending != null) {
                inserted += pending.get();
            }
        } finally {
            writer.shutdownNow();
        }
        return inserted;
    }

    private static long insert(MongoCollection<RawBsonDocument> events, List<RawBsonDocument> batch) {
        try {
            return events.insertMany(batch, new InsertManyOptions().ordered(false))
                    .getInsertedIds()
                    .size();
        } catch (MongoBulkWriteException e) {
            for (BulkWriteError error : e.getWriteErrors()) {
                if (ErrorCategory.fromErrorCode(error.getCode()) != ErrorCategory.DUPLICATE_KEY) {
                    throw e;
                }
            }
            return batch.size() - e.getWriteErrors().size();
        }
    }

    /** The warm-up, then the lookups (HTTP and driver in turn) in half the budget, then the searches in the rest. */
    private List<Series> measure(MongoCollection<Document> events, long deadline) {
        SplittableRandom random = new SplittableRandom();
        LongSupplier transaction = () -> random.nextLong(options.documents());
        Series httpLookups = new Series("HTTP GET /v1/transactions/{id}", LOOKUP_TARGET_MS, options.lookups());
        Series driverLookups = new Series("driver transaction lookup", LOOKUP_TARGET_MS, options.lookups());
        Series httpSearches = new Series("HTTP GET /v1/events first page", SEARCH_TARGET_MS, options.searches());
        Series driverSearches = new Series("driver first page", SEARCH_TARGET_MS, options.searches());
        Series warm = new Series("warm-up", 0, 4 * options.warmup());
        for (int i = 0; i < options.warmup() && System.nanoTime() < deadline; i++) {
            String tx = SeedEvents.transactionId(transaction.getAsLong());
            httpLookup(tx, warm, deadline);
            driverLookup(events, tx, warm, deadline);
            String type = SeedEvents.TYPES.get(random.nextInt(SeedEvents.TYPES.size()));
            httpSearch(type, warm, deadline);
            driverSearch(events, type, warm, deadline);
        }
        System.out.printf("warm-up: %d queries, not counted%n", warm.ran());
        long lookupsDeadline = System.nanoTime() + Math.max(0, (deadline - System.nanoTime()) / 2);
        for (int i = 0; i < options.lookups() && System.nanoTime() < lookupsDeadline; i++) {
            String tx = SeedEvents.transactionId(transaction.getAsLong());
            httpLookup(tx, httpLookups, lookupsDeadline);
            if (System.nanoTime() < lookupsDeadline) {
                driverLookup(events, tx, driverLookups, lookupsDeadline);
            }
        }
        for (int i = 0; i < options.searches() && System.nanoTime() < deadline; i++) {
            String type = SeedEvents.TYPES.get(random.nextInt(SeedEvents.TYPES.size()));
            httpSearch(type, httpSearches, deadline);
            if (System.nanoTime() < deadline) {
                driverSearch(events, type, driverSearches, deadline);
            }
        }
        return List.of(httpLookups, driverLookups, httpSearches, driverSearches);
    }

    private void httpLookup(String transactionId, Series into, long deadline) {
        get("/v1/transactions/" + URLEncoder.encode(transactionId, StandardCharsets.UTF_8), into, deadline);
    }

    private void httpSearch(String type, Series into, long deadline) {
        Instant to = Instant.now();
        get(
                "/v1/events?type=" + type + "&tag=" + URLEncoder.encode(SEARCH_TAG, StandardCharsets.UTF_8) + "&from="
                        + to.minus(Duration.ofHours(1)) + "&to=" + to + "&limit=" + PAGE,
                into,
                deadline);
    }

    /** One timed GET; the answer's {@code events} are counted. */
    private void get(String path, Series into, long deadline) {
        Duration timeout = timeout(deadline);
        long start = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(options.admin() + path))
                            .header("Authorization", "Bearer " + adminToken)
                            .timeout(timeout)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - start;
            if (r.statusCode() != 200) {
                into.failed("HTTP " + r.statusCode());
                return;
            }
            JsonNode events = JSON.readTree(r.body()).path("events");
            into.answered(nanos, events.size());
        } catch (HttpTimeoutException e) {
            into.failed("no answer within " + timeout);
        } catch (IOException e) {
            into.failed(e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            into.failed("interrupted");
        }
    }

    /** The lookup as admin-api's EventSearch.transaction asks it. */
    static Bson transactionFilter(String transactionId) {
        return eq("metadata.transactionId", transactionId);
    }

    /** The first page as admin-api's EventFilter and EventSearch.search ask it for type, one tag, from and to. */
    static Bson searchFilter(String type, Instant from, Instant to) {
        return and(
                gte("metadata.receivedAt", Date.from(from)),
                lt("metadata.receivedAt", Date.from(to)),
                eq("eventType", type),
                all("tags", List.of(SEARCH_TAG)),
                ne("synthetic", true));
    }

    private void driverLookup(MongoCollection<Document> events, String transactionId, Series into, long deadline) {
        timed(
                into,
                deadline,
                c -> c.find(transactionFilter(transactionId))
                        .sort(Sorts.ascending("metadata.receivedAt", "_id"))
                        .projection(Projections.exclude("searchTerms"))
                        .limit(TRANSACTION_LIMIT)
                        .into(new ArrayList<>())
                        .size(),
                events);
    }

    private void driverSearch(MongoCollection<Document> events, String type, Series into, long deadline) {
        Instant to = Instant.now();
        timed(
                into,
                deadline,
                c -> c.find(searchFilter(type, to.minus(Duration.ofHours(1)), to))
                        .sort(Sorts.descending("metadata.receivedAt", "_id"))
                        .projection(Projections.exclude("searchTerms"))
                        .limit(PAGE + 1)
                        .into(new ArrayList<>())
                        .size(),
                events);
    }

    private void timed(
            Series into,
            long deadline,
            java.util.function.ToIntFunction<MongoCollection<Document>> query,
            MongoCollection<Document> events) {
        Duration timeout = timeout(deadline);
        long start = System.nanoTime();
        try {
            // A client-side timeout: mongo-java-server does not stop a query at maxTimeMS.
            int found = query.applyAsInt(events.withTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS));
            into.answered(System.nanoTime() - start, found);
        } catch (MongoException e) {
            into.failed(e.getClass().getSimpleName());
        }
    }

    private Duration timeout(long deadline) {
        long left = Math.max(1_000_000, deadline - System.nanoTime());
        Duration budgetLeft = Duration.ofNanos(left);
        return budgetLeft.compareTo(options.requestTimeout()) < 0 ? budgetLeft : options.requestTimeout();
    }
}
