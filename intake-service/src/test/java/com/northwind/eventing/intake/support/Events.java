package com.northwind.eventing.intake.support;

import com.northwind.eventing.common.model.EventType;
import com.northwind.eventing.common.model.EventTypeVersion;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/** Event types, apps and events the intake tests share. */
public final class Events {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Events() {}

    /** Claim.Submitted.&lt;object&gt; as the registry holds it, version 1 with the given JSON Schema. */
    public static EventType eventType(String object, String schema) {
        return new EventType(
                "Claim",
                "Submitted",
                object,
                "a claim",
                "claims-team",
                30,
                null,
                List.of(new EventTypeVersion(1, JSON.readTree(schema), List.of(), Instant.EPOCH)),
                Instant.EPOCH,
                Instant.EPOCH);
    }

    /** Claim.Submitted.&lt;object&gt;: claimId (string) and amount (number) required, member.ssn is PHI. */
    public static String claimType(String object) {
        return """
                {"noun": "Claim", "verb": "Submitted", "object": "%s", "owner": "claims-team",
                 "schema": {"type": "object", "required": ["claimId", "amount"],
                            "properties": {"claimId": {"type": "string", "maxLength": 64},
                                           "amount": {"type": "number", "minimum": 0},
                                           "status": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"id": {"type": "string"}, "ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                """.formatted(object);
    }

    public static String app(String id, String... publish) {
        StringBuilder grants = new StringBuilder();
        for (String p : publish) {
            grants.append(grants.length() == 0 ? "" : ",").append('"').append(p).append('"');
        }
        return """
                {"id": "%s", "team": "claims", "publish": [%s], "read": [],
                 "rateLimit": {"eventsPerSecond": 100000, "burst": 100000}}
                """.formatted(id, grants);
    }

    /** A valid Claim.Submitted.&lt;object&gt; event. */
    public static String claim(String object, String transactionId) {
        return """
                {"noun": "Claim", "verb": "Submitted", "object": "%s",
                 "metadata": {"transactionId": "%s", "userId": "u-7", "timestamp": "2026-11-22T10:15:30Z",
                              "transactionType": "ONLINE", "sourceSystem": "portal"},
                 "tags": ["state:TX", "channel:web"],
                 "body": {"claimId": "C-%s", "amount": 125.5, "status": "NEW", "member": {"id": "M-1", "ssn": "123-45-6789"}}}
                """.formatted(object, transactionId, transactionId);
    }
}
