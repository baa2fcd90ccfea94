package com.northwind.eventing.admin;

/** Request bodies the tests share. */
public final class Fixtures {
    private Fixtures() {}

    /** A claim event type whose member SSN is PHI, under the given object name. */
    public static String claimEventType(String object) {
        return """
                {"noun": "Claim", "verb": "Submitted", "object": "%s",
                 "description": "A member asks for a claim to be reconsidered",
                 "owner": "claims-team",
                 "schema": {"type": "object", "required": ["claimId", "member"],
                            "properties": {"claimId": {"type": "string"},
                                           "status": {"type": "string"},
                                           "member": {"type": "object",
                                                      "properties": {"id": {"type": "string"}, "ssn": {"type": "string"}}}}},
                 "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}],
                 "retentionDays": 30,
                 "example": {"claimId": "C-1", "member": {"id": "M-1", "ssn": "123-45-6789"}}}
                """.formatted(object);
    }

    public static String app(String id, String publish, String read) {
        return """
                {"id": "%s", "team": "claims", "publish": [%s], "read": [%s]}
                """.formatted(id, publish, read);
    }
}
