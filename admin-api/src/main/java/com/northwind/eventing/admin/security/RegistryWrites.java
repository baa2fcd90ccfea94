package com.northwind.eventing.admin.security;

/**
 * Who may write to the embedded schema registry. The service token may write anything; the admin token anything but
 * the platform's own subjects ({@code eventing.*}: the firehose's, the subscription topics', the store's), whose
 * schemas the platform's services register and a wrong one of which would stop publishing or dead-letter every copy.
 * With {@code openWrites}, user subjects take writes without a credential, as Confluent's registry does by default;
 * platform subjects and the global config never do.
 */
final class RegistryWrites {
    /** Subjects of the platform's own topics; decided on the subject as Spring decodes it. */
    static final String PLATFORM_PREFIX = "eventing.";

    /** What the registry answers: nothing (go on), or Confluent's error. */
    record Decision(int status, int errorCode, String message) {
        static final Decision ALLOW = new Decision(0, 0, null);

        boolean allowed() {
            return status == 0;
        }
    }

    private final boolean openWrites;

    RegistryWrites(boolean openWrites) {
        this.openWrites = openWrites;
    }

    /**
     * @param subject the subject written, as decoded from the path; null for the global config
     */
    Decision decide(Credentials.Holder holder, String subject) {
        boolean platform = subject != null && subject.startsWith(PLATFORM_PREFIX);
        return switch (holder) {
            case SERVICE -> Decision.ALLOW;
            case ADMIN ->
                platform
                        ? new Decision(
                                403,
                                40301,
                                "subject '" + subject + "' belongs to the platform: only the platform's service"
                                        + " token may write it")
                        : Decision.ALLOW;
            case INVALID -> new Decision(401, 40101, "the registry credential is not valid");
            case NONE ->
                openWrites && subject != null && !platform
                        ? Decision.ALLOW
                        : new Decision(
                                401,
                                40101,
                                (subject == null ? "writing the global config" : "writing subject '" + subject + "'")
                                        + " needs a credential: Authorization: Bearer <token>, or Basic with the"
                                        + " token as password");
        };
    }
}
