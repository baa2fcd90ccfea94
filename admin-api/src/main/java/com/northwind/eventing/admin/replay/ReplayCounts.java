package com.northwind.eventing.admin.replay;

/**
 * What the router did with a replay's records, on {@code eventing.replays.counts} (the router writes it in its
 * exactly-once transaction): each record it read from the replay topic adds one to {@code delivered} or {@code
 * skipped}.
 */
record ReplayCounts(String id, long delivered, long skipped) {
    static final String TOPIC = "eventing.replays.counts";
}
