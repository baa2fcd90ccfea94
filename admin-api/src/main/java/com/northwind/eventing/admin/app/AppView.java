package com.northwind.eventing.admin.app;

import com.northwind.eventing.common.model.App;
import com.northwind.eventing.common.model.RateLimit;
import java.time.Instant;
import java.util.List;

/** An app as the API shows it: token ids and dates, never token hashes. */
public record AppView(
        String id,
        String team,
        List<String> publish,
        List<String> read,
        List<TokenInfo> tokens,
        RateLimit rateLimit,
        Instant createdAt,
        Instant updatedAt) {

    record TokenInfo(String id, Instant createdAt) {}

    public static AppView of(App app) {
        return new AppView(
                app.id(),
                app.team(),
                app.publish(),
                app.read(),
                app.tokens().stream()
                        .map(t -> new TokenInfo(t.id(), t.createdAt()))
                        .toList(),
                app.rateLimit(),
                app.createdAt(),
                app.updatedAt());
    }
}
