package com.northwind.eventing.intake.contract;

import java.util.List;

/**
 * What a transport answered for one event, in transport-neutral terms.
 *
 * @param error the problem slug on failure ({@code validation}, {@code unauthorized}, ... the last segment of the
 *     RFC 9457 type, the ErrorInfo reason over gRPC), null on success
 * @param pointers the JSON Pointers of the violations, empty when none
 */
public record Outcome(
        String eventId,
        String eventType,
        int partition,
        long offset,
        String error,
        List<String> pointers,
        String detail) {
    public static Outcome success(String eventId, String eventType, int partition, long offset) {
        return new Outcome(eventId, eventType, partition, offset, null, List.of(), null);
    }

    public static Outcome failure(String error, List<String> pointers, String detail) {
        return new Outcome(null, null, -1, -1, error, List.copyOf(pointers), detail);
    }

    public boolean ok() {
        return error == null;
    }
}
