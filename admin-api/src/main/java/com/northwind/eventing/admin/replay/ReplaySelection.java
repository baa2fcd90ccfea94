package com.northwind.eventing.admin.replay;

import com.northwind.eventing.admin.store.StoreQueries;
import com.northwind.eventing.common.model.JsonPointers;
import com.northwind.eventing.common.model.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which events a replay copies: its range and its filter, checked as the event search checks its parameters (the
 * same code), so that a replay selects what {@code GET /v1/events} with the same parameters would find.
 *
 * @param filter the accepted filter members, as stored on the replay's record
 * @param parameters the same as search parameters, {@code from} and {@code to} included
 * @param query the MongoDB query of the selection (range and filter)
 */
record ReplaySelection(
        Instant from,
        Instant to,
        ObjectNode filter,
        MultiValueMap<String, String> parameters,
        StoreQueries.Filter query) {
    /** The filter members a replay takes: the search's parameters but its range. */
    static final Set<String> FILTER_MEMBERS =
            Set.of("type", "tag", "synthetic", "producerApp", "transactionId", "userId", "q", "where");

    private static final Set<String> TEXT = Set.of("type", "producerApp", "transactionId", "userId", "q");
    private static final Set<String> TEXTS = Set.of("tag", "where");
    /** How far in the future {@code from} and {@code to} may be: clocks differ a little, not more. */
    static final Duration FUTURE_SLACK = Duration.ofMinutes(1);
    /** No range limit of its own: a replay may cover all the history the platform keeps. */
    private static final Duration ANY_RANGE = Duration.ofDays(4_000_000);

    /** The selection of a request's {@code from}, {@code to} and {@code filter}; a problem names the member. */
    static ReplaySelection of(JsonNode from, JsonNode to, JsonNode filter, Clock clock) {
        MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
        ObjectNode accepted = JsonNodeFactory.instance.objectNode();
        if (from == null || from.isNull()) {
            throw new ValidationException("/from", "from is required: the first receive time to replay");
        }
        parameters.add("from", text("/from", from));
        if (to != null && !to.isNull()) {
            parameters.add("to", text("/to", to));
        } else {
            parameters.add("to", clock.instant().toString());
        }
        if (filter != null && !filter.isNull()) {
            if (!filter.isObject()) {
                throw new MalformedMemberException("/filter", "must be an object of search parameters");
            }
            for (Map.Entry<String, JsonNode> member : filter.properties()) {
                add(member.getKey(), member.getValue(), parameters, accepted);
            }
        }
        StoreQueries.Filter query;
        try {
            query = StoreQueries.filter(parameters, clock, ANY_RANGE);
        } catch (StoreQueries.Refused e) {
            String pointer = pointer(e.parameter());
            String detail = e.getMessage().startsWith(e.parameter() + ": ")
                    ? e.getMessage().substring(e.parameter().length() + 2)
                    : e.getMessage();
            if (e.status() == 400) {
                throw new MalformedMemberException(pointer, detail);
            }
            throw new ValidationException(pointer, detail);
        }
        Instant latest = clock.instant().plus(FUTURE_SLACK);
        if (query.from().isAfter(latest)) {
            throw new ValidationException("/from", "is more than " + FUTURE_SLACK.toSeconds() + " s in the future");
        }
        if (query.to().isAfter(latest)) {
            throw new ValidationException("/to", "is more than " + FUTURE_SLACK.toSeconds() + " s in the future");
        }
        return new ReplaySelection(query.from(), query.to(), accepted, parameters, query);
    }

    /** The selection of a replay that was accepted before (its record's range and filter). */
    static ReplaySelection of(Replay replay, Clock clock) {
        return of(
                JsonNodeFactory.instance.stringNode(replay.from().toString()),
                JsonNodeFactory.instance.stringNode(replay.to().toString()),
                replay.filter(),
                clock);
    }

    private static void add(
            String name, JsonNode value, MultiValueMap<String, String> parameters, ObjectNode accepted) {
        String pointer = "/filter/" + JsonPointers.escape(name.length() > 64 ? name.substring(0, 64) + "..." : name);
        if (!FILTER_MEMBERS.contains(name)) {
            throw new MalformedMemberException(
                    pointer,
                    "not a filter member; it takes "
                            + String.join(", ", FILTER_MEMBERS.stream().sorted().toList()));
        }
        if (value == null || value.isNull()) {
            return;
        }
        if (TEXT.contains(name)) {
            parameters.add(name, text(pointer, value));
        } else if (TEXTS.contains(name)) {
            if (value.isArray()) {
                int i = 0;
                for (JsonNode item : value) {
                    parameters.add(name, text(pointer + "/" + i++, item));
                }
            } else {
                parameters.add(name, text(pointer, value));
            }
        } else if (value.isBoolean()) { // synthetic
            parameters.add(name, Boolean.toString(value.booleanValue()));
        } else if (value.isString()) {
            parameters.add(name, value.stringValue());
        } else {
            throw new MalformedMemberException(
                    pointer, "must be false (real events only), true (synthetic only) or" + " \"any\"");
        }
        accepted.set(name, value);
    }

    private static String text(String pointer, JsonNode value) {
        if (!value.isString()) {
            throw new MalformedMemberException(pointer, "must be a string");
        }
        return value.stringValue();
    }

    private static String pointer(String parameter) {
        return switch (parameter) {
            case "from", "to" -> "/" + parameter;
            default -> "/filter/" + parameter;
        };
    }

    /** The values of a search parameter, in order; empty when absent. */
    List<String> all(String name) {
        return parameters.getOrDefault(name, List.of());
    }

    String single(String name) {
        List<String> v = all(name);
        return v.isEmpty() ? null : v.get(0);
    }
}
