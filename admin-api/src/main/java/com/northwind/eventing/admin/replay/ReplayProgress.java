package com.northwind.eventing.admin.replay;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * How far a replay's worker got, on {@code eventing.replays.progress}, written in the same transaction as the records
 * of the batch it counts: a worker that starts again goes on from here and writes nothing twice.
 *
 * @param store the last stored event read (during {@code STORE}); null before the first
 * @param firehose the next offset to read in each firehose partition; in {@code STORE}, where the firehose part will
 *     start (the partition's first retained offset when the replay began), which also bounds what the store part reads;
 *     in {@code FIREHOSE}, offsets from here that retention has taken since are read from the store
 * @param read events written to the replay topic
 * @param unreplayable stored events in the selection that could not be replayed (their body was not stored)
 * @param error why the replay failed ({@code FAILED} only); never a body value
 * @param finishedAt when the worker finished ({@code DONE} or {@code FAILED}); null before
 */
record ReplayProgress(
        String id,
        Phase phase,
        Position store,
        Map<String, Long> firehose,
        long read,
        long unreplayable,
        String error,
        Instant finishedAt) {
    static final String TOPIC = "eventing.replays.progress";

    enum Phase {
        STORE,
        FIREHOSE,
        DONE,
        FAILED
    }

    /** A position in the store's oldest-first order: receivedAt, then event id. */
    record Position(Instant receivedAt, String id) {}

    ReplayProgress {
        firehose = firehose == null ? null : new TreeMap<>(firehose);
    }

    boolean finished() {
        return phase == Phase.DONE || phase == Phase.FAILED;
    }

    /**
     * The progress of the firehose part once a batch moved one partition to {@code next}: {@code read} more events
     * written, {@code unreplayable} more that could not be.
     */
    ReplayProgress firehoseAt(int partition, long next, long read, long unreplayable) {
        Map<String, Long> offsets = new TreeMap<>(firehose);
        offsets.put(Integer.toString(partition), next);
        return new ReplayProgress(
                id, Phase.FIREHOSE, store, offsets, this.read + read, this.unreplayable + unreplayable, null, null);
    }

    ReplayProgress failed(String why, Instant at) {
        return new ReplayProgress(id, Phase.FAILED, store, firehose, read, unreplayable, why, at);
    }
}
