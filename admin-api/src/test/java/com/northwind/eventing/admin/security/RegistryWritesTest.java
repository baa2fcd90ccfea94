package com.northwind.eventing.admin.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryWritesTest {
    private static final String ADMIN = "admin-token-0123456789";
    private static final String SERVICE = "service-token-0123456789abcdef0123";
    private static final Credentials CREDENTIALS = new Credentials(ADMIN, SERVICE);

    @ParameterizedTest(name = "{0} on {1}, open writes {2}: {3}")
    @CsvSource(
            nullValues = "GLOBAL",
            value = {
                "none, user-value, false, 401",
                "none, user-value, true, 0",
                "none, eventing.firehose-value, true, 401",
                "none, GLOBAL, true, 401",
                "admin, user-value, false, 0",
                "admin, GLOBAL, false, 0",
                "admin, eventing.firehose-value, false, 403",
                "admin, eventing.sub.claims-value, false, 403",
                "admin, eventing.store-value, true, 403",
                "service, eventing.firehose-value, false, 0",
                "service, user-value, false, 0",
                "service, GLOBAL, false, 0",
                "wrong, user-value, true, 401",
                "basic-admin, eventing.firehose-value, false, 403",
                "basic-service, eventing.firehose-value, false, 0",
                "basic-no-colon, user-value, false, 401",
                "basic-not-base64, user-value, false, 401",
                "other-scheme, user-value, true, 401"
            })
    void shouldDecideOnTheDecodedSubjectWhenTheCallerHoldsThisCredential(
            String caller, String subject, boolean openWrites, int expectedStatus) {
        // given
        RegistryWrites writes = new RegistryWrites(openWrites);
        String header = header(caller);

        // when
        RegistryWrites.Decision decision = writes.decide(CREDENTIALS.holder(header), subject);

        // then
        assertThat(decision.status()).isEqualTo(expectedStatus);
    }

    private static String header(String caller) {
        return switch (caller) {
            case "none" -> null;
            case "admin" -> "Bearer " + ADMIN;
            case "service" -> "bearer " + SERVICE;
            case "wrong" -> "Bearer " + ADMIN + "x";
            case "basic-admin" -> "Basic " + base64("any-user:" + ADMIN);
            case "basic-service" -> "Basic " + base64("svc:" + SERVICE);
            case "basic-no-colon" -> "Basic " + base64(ADMIN);
            case "basic-not-base64" -> "Basic !!!";
            case "other-scheme" -> "Digest " + ADMIN;
            default -> throw new IllegalArgumentException(caller);
        };
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
