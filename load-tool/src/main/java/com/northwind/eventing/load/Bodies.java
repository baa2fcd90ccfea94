package com.northwind.eventing.load;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Claim-like JSON bodies for the router benchmark, about as compressible as real events: the field names and code
 * values repeat from event to event, the ids, amounts, dates and the free-text note do not. Repeating one character
 * would let a compressed topic shrink far more than real events let it. Seeded, so that every run writes the same
 * bodies. Each body has the member's SSN at {@code /member/ssn}, which the benchmark's event type marks as PHI.
 */
final class Bodies {
    private static final String[] STATUSES = {"SUBMITTED", "PENDED", "ADJUDICATED", "PAID", "DENIED"};
    private static final String[] CODES = {"99213", "99214", "80053", "85025", "93000", "71046", "36415", "J3420"};
    private static final String[] WORDS = {
        "patient",
        "reports",
        "follow-up",
        "visit",
        "lab",
        "results",
        "reviewed",
        "prior",
        "authorization",
        "denied",
        "resubmitted",
        "with",
        "corrected",
        "modifier",
        "provider",
        "notes",
        "attached",
        "member",
        "called",
        "about",
        "balance",
        "billing",
        "coordination",
        "of",
        "benefits",
        "secondary",
        "payer",
        "on",
        "file",
        "appeal",
        "window",
        "open",
        "until",
        "review",
        "complete",
        "no",
        "further",
        "action",
        "needed"
    };

    private final int bytes;
    private final SplittableRandom random = new SplittableRandom(20261202L);

    /** @param bytes the body's length to aim for; a body is never shorter than its fixed fields */
    Bodies(int bytes) {
        this.bytes = bytes;
    }

    String next(int id) {
        return next(id, null);
    }

    /** A body whose {@code claimId} is the one given, or a random one when it is null. */
    String next(int id, String claimId) {
        StringBuilder b = new StringBuilder(bytes + 64);
        b.append("{\"id\": ").append(id);
        b.append(", \"claimId\": \"")
                .append(claimId == null ? "CLM-" + digits(10) : claimId)
                .append('"');
        b.append(", \"status\": \"")
                .append(STATUSES[random.nextInt(STATUSES.length)])
                .append('"');
        b.append(", \"member\": {\"memberId\": \"M").append(digits(9)).append('"');
        b.append(", \"ssn\": \"")
                .append(digits(3))
                .append('-')
                .append(digits(2))
                .append('-')
                .append(digits(4))
                .append('"');
        b.append(String.format(
                Locale.ROOT,
                ", \"birthDate\": \"%04d-%02d-%02d\"}",
                1930 + random.nextInt(80),
                1 + random.nextInt(12),
                1 + random.nextInt(28)));
        b.append(", \"provider\": {\"npi\": \"").append(digits(10)).append("\"}");
        b.append(", \"lines\": [");
        int lines = 1 + random.nextInt(3);
        for (int l = 0; l < lines; l++) {
            b.append(l == 0 ? "" : ", ")
                    .append("{\"code\": \"")
                    .append(CODES[random.nextInt(CODES.length)])
                    .append("\", \"units\": ")
                    .append(1 + random.nextInt(4))
                    .append(String.format(
                            Locale.ROOT, ", \"amount\": %d.%02d}", random.nextInt(2000), random.nextInt(100)));
        }
        b.append("], \"note\": \"");
        String sep = "";
        while (b.length() < bytes - 2) {
            b.append(sep).append(WORDS[random.nextInt(WORDS.length)]);
            sep = " ";
        }
        return b.append("\"}").toString();
    }

    private String digits(int n) {
        char[] c = new char[n];
        for (int i = 0; i < n; i++) {
            c[i] = (char) ('0' + random.nextInt(10));
        }
        return new String(c);
    }
}
