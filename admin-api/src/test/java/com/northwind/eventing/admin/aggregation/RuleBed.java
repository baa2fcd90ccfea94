package com.northwind.eventing.admin.aggregation;

import com.northwind.eventing.admin.AdminApiServer;
import com.northwind.eventing.admin.AdminApiServer.Response;

/** Registers the event types the aggregation tests build rules from. */
final class RuleBed {
    /** A claim submitted: its member's SSN is PHI. */
    static final String SUBMITTED_SCHEMA = """
            {"type": "object", "required": ["claimId", "member"],
             "properties": {"claimId": {"type": "string"}, "state": {"type": "string"},
                            "member": {"type": "object",
                                       "properties": {"id": {"type": "string"}, "ssn": {"type": "string"}}},
                            "lines": {"type": "array", "items": {"type": "object"}}}}""";

    static final String SUBMITTED_EXAMPLE = """
            {"claimId": "C-1", "state": "TX", "member": {"id": "M-1", "ssn": "123-45-6789"},
             "lines": [{"code": "A1"}]}""";

    private final AdminApiServer api;

    RuleBed(AdminApiServer api) {
        this.api = api;
    }

    /** Registers a type; an answer other than 201 fails the test at once, since every later step relies on it. */
    void type(String name, String schema, String sensitiveFields, String example) {
        String[] nvo = name.split("\\.");
        String body = """
                {"noun": "%s", "verb": "%s", "object": "%s", "owner": "claims-team",
                 "schema": %s, "sensitiveFields": %s%s}
                """.formatted(
                nvo[0], nvo[1], nvo[2], schema, sensitiveFields, example == null ? "" : ", \"example\": " + example);
        Response r = api.post("/v1/event-types", body);
        if (r.status() != 201) {
            throw new IllegalStateException("could not register " + name + ": " + r.status() + " " + r.body());
        }
    }

    /** A claim submitted under the given noun, with /member/ssn PHI. */
    void submitted(String name) {
        type(name, SUBMITTED_SCHEMA, "[{\"path\": \"/member/ssn\", \"classification\": \"PHI\"}]", SUBMITTED_EXAMPLE);
    }

    /** A type any object fits, whose example holds a claim id. */
    void plain(String name) {
        type(name, "{\"type\": \"object\"}", "[]", "{\"claimId\": \"C-1\"}");
    }

    /** A type any object fits, declaring the given sensitive fields. */
    void output(String name, String sensitiveFields) {
        type(name, "{\"type\": \"object\"}", sensitiveFields, null);
    }
}
