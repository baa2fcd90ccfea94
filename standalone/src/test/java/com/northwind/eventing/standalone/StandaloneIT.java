package com.northwind.eventing.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the fat jar as a user does ({@code java -jar standalone/target/eventing-standalone.jar}), registers through the
 * admin API, stops it with SIGTERM and starts it again on the same data directory.
 */
class StandaloneIT {
    @TempDir
    Path dataDir;

    @Test
    void shouldKeepRegistryAndTopicsWhenStoppedAndStartedAgain() throws Exception {
        try (StandaloneProcess platform = new StandaloneProcess(dataDir)) {
            String admin = platform.admin();
            String intake = platform.intake() + "/v1/events";
            String event = """
                    {"noun": "Claim", "verb": "Submitted", "object": "Reconsideration",
                     "metadata": {"transactionId": "tx-1"}, "body": {"member": {"ssn": "123-45-6789"}}}
                    """;

            platform.start();
            String token = platform.adminToken();
            int created = platform.post(admin + "/v1/event-types", token, """
                            {"noun": "Claim", "verb": "Submitted", "object": "Reconsideration", "owner": "claims",
                             "schema": {"type": "object", "properties": {"member": {"type": "object"}}},
                             "sensitiveFields": [{"path": "/member/ssn", "classification": "PHI"}]}
                            """).statusCode();
            HttpResponse<String> app = platform.post(admin + "/v1/apps", token, """
                    {"id": "claims-portal", "team": "claims", "publish": ["Claim.*.*"], "read": ["PHI"]}
                    """);
            String appToken = app.body().replaceAll(".*\"token\":\"([^\"]+)\".*", "$1");
            int sub = platform.post(admin + "/v1/subscriptions", token, """
                            {"id": "portal-claims", "app": "claims-portal", "eventTypes": ["Claim.Submitted.*"]}
                            """).statusCode();
            int schema = platform.post(admin + "/subjects/standalone-value/versions", token, """
                            {"schema": "{\\"type\\": \\"string\\"}"}
                            """)
                    .statusCode();
            int publishedBefore = platform.post(intake, appToken, event).statusCode();
            int stopExit = platform.stop();
            platform.start();
            int publishedAfter = platform.post(intake, appToken, event).statusCode();

            assertThat(List.of(created, app.statusCode(), sub, schema)).containsExactly(201, 201, 201, 200);
            assertThat(publishedBefore).isEqualTo(202);
            assertThat(publishedAfter).isEqualTo(202);
            assertThat(stopExit).isIn(0, 143);
            assertThat(platform.adminToken()).isEqualTo(token);
            assertThat(Files.getPosixFilePermissions(dataDir.resolve("admin-token")))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(platform.get(admin + "/v1/event-types/Claim.Submitted.Reconsideration", token))
                    .contains("\"eventType\":\"Claim.Submitted.Reconsideration\"");
            assertThat(platform.get(admin + "/v1/apps/claims-portal", token)).contains("\"read\":[\"PHI\"]");
            assertThat(platform.get(admin + "/v1/subscriptions/portal-claims", token))
                    .contains("\"topic\":\"eventing.sub.portal-claims\"");
            assertThat(platform.get(admin + "/subjects/standalone-value/versions", null))
                    .isEqualTo("[1]");
            assertThat(topics(platform.bootstrapServers()))
                    .contains(
                            "eventing.sub.portal-claims",
                            "eventing.registry.subscriptions",
                            "eventing.firehose",
                            "eventing.deadletter");
            assertThat(platform.stop()).isIn(0, 143);
        }
    }

    private static Set<String> topics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
    }
}
