package com.northwind.eventing.intake.contract;

import com.northwind.eventing.intake.support.IntakePlatform;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** The contract suite's view of REST: {@code POST /v1/events} and {@code /v1/events/batch}. */
public final class RestTransport implements Transport {
    private final IntakePlatform platform;

    public RestTransport(IntakePlatform platform) {
        this.platform = platform;
    }

    @Override
    public Outcome publish(String token, String eventJson, String traceparent) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(platform.intakeUrl() + "/v1/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(eventJson));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (traceparent != null) {
            b.header("traceparent", traceparent);
        }
        HttpResponse<String> r = platform.send(b);
        JsonNode body = IntakePlatform.json(r.body());
        if (r.statusCode() == 202) {
            return receipt(body);
        }
        return problem(body, r.statusCode());
    }

    @Override
    public List<Outcome> publishBatch(String token, List<String> eventJsons) {
        HttpResponse<String> r =
                platform.postEvent("/v1/events/batch", token, "{\"events\": [" + String.join(",", eventJsons) + "]}");
        JsonNode body = IntakePlatform.json(r.body());
        if (r.statusCode() != 200) {
            Outcome whole = problem(body, r.statusCode());
            return eventJsons.stream().map(e -> whole).toList();
        }
        List<Outcome> outcomes = new ArrayList<>();
        for (JsonNode result : body.path("results")) {
            outcomes.add(
                    result.has("error")
                            ? problem(
                                    result.path("error"),
                                    result.at("/error/status").asInt())
                            : receipt(result));
        }
        return outcomes;
    }

    private static Outcome receipt(JsonNode body) {
        return Outcome.success(
                body.path("eventId").asString(),
                body.path("eventType").asString(),
                body.path("partition").asInt(),
                body.path("offset").asLong());
    }

    static Outcome problem(JsonNode problem, int status) {
        String type = problem.path("type").asString("");
        if (!type.startsWith("urn:eventing:problem:")) {
            throw new AssertionError("status " + status + " without an eventing problem type: " + problem);
        }
        List<String> pointers = new ArrayList<>();
        problem.path("errors").forEach(e -> pointers.add(e.path("pointer").asString()));
        return Outcome.failure(
                type.substring("urn:eventing:problem:".length()),
                pointers,
                problem.path("detail").asString());
    }

    @Override
    public void close() {}
}
