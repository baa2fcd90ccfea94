package com.northwind.eventing.standalone;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --kafka-auth=scram}: the broker takes SASL on its client listener and authorizes every request with KRaft's
 * {@code StandardAuthorizer}, denying what no ACL allows. Each service of the platform logs in as its own SCRAM-SHA-512
 * user ({@code svc-admin}, {@code svc-intake}, {@code svc-router}, {@code svc-connect}) with the ACLs of
 * {@code docs/kafka-security.md}. Every password is new at each start and lives in this JVM only: the broker's own
 * user ({@code svc-broker}, PLAIN, the only super user: inter-broker and controller traffic) is in the broker's
 * configuration, and it sets the services' SCRAM credentials and ACLs through the Admin API before they start.
 */
final class KafkaAuth {
    static final String BROKER_USER = "svc-broker";
    static final String ADMIN_USER = "svc-admin";
    static final String INTAKE_USER = "svc-intake";
    static final String ROUTER_USER = "svc-router";
    static final String CONNECT_USER = "svc-connect";
    static final int ITERATIONS = 8192;

    private static final Logger log = LoggerFactory.getLogger(KafkaAuth.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> passwords = new HashMap<>();

    KafkaAuth() {
        for (String user : List.of(BROKER_USER, ADMIN_USER, INTAKE_USER, ROUTER_USER, CONNECT_USER)) {
            passwords.put(user, password());
        }
    }

    /** The broker settings: SASL on both listeners, PLAIN for the broker's own user, SCRAM for everyone else. */
    Map<String, String> brokerProperties() {
        String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                + "\" password=\"" + passwords.get(BROKER_USER) + "\" user_" + BROKER_USER + "=\""
                + passwords.get(BROKER_USER) + "\";";
        Map<String, String> p = new HashMap<>();
        p.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512,PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", plain);
        p.put(
                "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put("listener.name.controller.plain.sasl.jaas.config", plain);
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + BROKER_USER);
        return p;
    }

    /** Client settings of a service's user, as {@code eventing.kafka.properties.*} takes them. */
    Map<String, String> clientProperties(String user) {
        return Map.of(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT",
                SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512",
                SaslConfigs.SASL_JAAS_CONFIG,
                        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                                + "\" password=\"" + passwords.get(user) + "\";");
    }

    /** The same as Spring arguments of a service. */
    List<String> serviceArgs(String user) {
        List<String> args = new ArrayList<>();
        clientProperties(user).forEach((k, v) -> args.add("--eventing.kafka.properties." + k + "=" + v));
        return args;
    }

    /** Sets the services' SCRAM credentials and ACLs as the broker's user, and waits until each can log in. */
    void provision(String bootstrapServers) throws Exception {
        Map<String, Object> config = new HashMap<>();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
        config.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
        config.put(
                SaslConfigs.SASL_JAAS_CONFIG,
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
                        + "\" password=\"" + passwords.get(BROKER_USER) + "\";");
        try (Admin admin = Admin.create(config)) {
            List<UserScramCredentialAlteration> users = new ArrayList<>();
            for (String user : List.of(ADMIN_USER, INTAKE_USER, ROUTER_USER, CONNECT_USER)) {
                users.add(new UserScramCredentialUpsertion(
                        user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), passwords.get(user)));
            }
            admin.alterUserScramCredentials(users).all().get(60, TimeUnit.SECONDS);
            admin.createAcls(ServiceAcls.all()).all().get(60, TimeUnit.SECONDS);
        }
        for (String user : List.of(ADMIN_USER, INTAKE_USER, ROUTER_USER, CONNECT_USER)) {
            awaitLogin(bootstrapServers, user);
        }
        log.info(
                "Kafka takes SASL/SCRAM-SHA-512; the services log in as svc-admin, svc-intake, svc-router, svc-connect");
    }

    /** A new credential reaches the broker through the metadata log: moments after the call answers. */
    private void awaitLogin(String bootstrapServers, String user) throws Exception {
        Map<String, Object> config = new HashMap<>(clientProperties(user));
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try (Admin admin = Admin.create(config)) {
                admin.describeCluster().clusterId().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Kafka user " + user + " cannot log in: " + e.getMessage(), e);
                }
                Thread.sleep(200);
            }
        }
    }

    /** 256 random bits, base64url: 43 characters, none of which needs quoting in a JAAS line. */
    private static String password() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The ACLs of each service principal; {@code docs/kafka-security.md} says why each is there. */
    static final class ServiceAcls {
        private ServiceAcls() {}

        static List<AclBinding> all() {
            List<AclBinding> b = new ArrayList<>();
            admin(b);
            intake(b);
            router(b);
            connect(b);
            return b;
        }

        private static void admin(List<AclBinding> b) {
            String u = ADMIN_USER;
            // ALTER on the cluster manages ACLs and SCRAM users: with it admin-api could grant itself anything, so it
            // is the platform's trust anchor on Kafka, though not a super user.
            cluster(b, u, AclOperation.ALTER, AclOperation.DESCRIBE, AclOperation.CREATE);
            // Registry, schema, replay and subscription topics (any name an admin gives a subscription's topic),
            // and the firehose and store it reads for replays and sets the retention of.
            topic(b, u, "*", PatternType.LITERAL, AclOperation.ALL);
            // The store sink's consumer group lag (a gauge).
            group(b, u, "*", PatternType.LITERAL, AclOperation.DESCRIBE);
            transactionalId(b, u, "eventing-replay-", PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
        }

        private static void intake(List<AclBinding> b) {
            String u = INTAKE_USER;
            topic(
                    b,
                    u,
                    "eventing.firehose",
                    PatternType.LITERAL,
                    AclOperation.CREATE,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
            registryReader(b, u);
        }

        private static void router(List<AclBinding> b) {
            String u = ROUTER_USER;
            // The router creates the replay topic when it starts before admin-api has. The aggregator, which runs in
            // the router's process under its principal, writes its outputs to the firehose (hence WRITE there).
            topic(
                    b,
                    u,
                    "eventing.firehose",
                    PatternType.LITERAL,
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE);
            topic(
                    b,
                    u,
                    "eventing.replay",
                    PatternType.LITERAL,
                    AclOperation.CREATE,
                    AclOperation.READ,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
            registryReader(b, u);
            topic(
                    b,
                    u,
                    "eventing.sub.",
                    PatternType.PREFIXED,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
            for (String sink :
                    List.of("eventing.store", "eventing.ledger", "eventing.deadletter", "eventing.replays.counts")) {
                topic(
                        b,
                        u,
                        sink,
                        PatternType.LITERAL,
                        AclOperation.CREATE,
                        AclOperation.WRITE,
                        AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS);
            }
            // Kafka Streams: its consumer group, transactional ids and internal topics all start with the
            // application id.
            topic(b, u, "eventing-router", PatternType.PREFIXED, AclOperation.ALL);
            group(b, u, "eventing-router", PatternType.PREFIXED, AclOperation.READ, AclOperation.DESCRIBE);
            transactionalId(b, u, "eventing-router", PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
            // The aggregator is a Streams application of its own (eventing.aggregator.application-id): the same
            // three, under its application id.
            topic(b, u, "eventing-aggregator", PatternType.PREFIXED, AclOperation.ALL);
            group(b, u, "eventing-aggregator", PatternType.PREFIXED, AclOperation.READ, AclOperation.DESCRIBE);
            transactionalId(
                    b, u, "eventing-aggregator", PatternType.PREFIXED, AclOperation.WRITE, AclOperation.DESCRIBE);
        }

        private static void connect(List<AclBinding> b) {
            String u = CONNECT_USER;
            cluster(b, u, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
            group(b, u, "eventing-connect", PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
            group(b, u, "connect-", PatternType.PREFIXED, AclOperation.READ, AclOperation.DESCRIBE);
            topic(
                    b,
                    u,
                    "eventing.connect.",
                    PatternType.PREFIXED,
                    AclOperation.CREATE,
                    AclOperation.READ,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
            for (String source : List.of("eventing.store", "eventing.ledger")) {
                topic(b, u, source, PatternType.LITERAL, AclOperation.READ, AclOperation.DESCRIBE);
            }
            topic(
                    b,
                    u,
                    "eventing.store.deadletter",
                    PatternType.LITERAL,
                    AclOperation.CREATE,
                    AclOperation.WRITE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
        }

        /**
         * The registry topics, read; CREATE too, because a registry reader creates them when it starts first (it
         * refuses to start on a topic it may not create, even one that exists).
         */
        private static void registryReader(List<AclBinding> b, String user) {
            topic(
                    b,
                    user,
                    "eventing.registry.",
                    PatternType.PREFIXED,
                    AclOperation.CREATE,
                    AclOperation.READ,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS);
        }

        private static void cluster(List<AclBinding> b, String user, AclOperation... ops) {
            add(b, new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL), user, ops);
        }

        private static void topic(List<AclBinding> b, String user, String name, PatternType type, AclOperation... ops) {
            add(b, new ResourcePattern(ResourceType.TOPIC, name, type), user, ops);
        }

        private static void group(List<AclBinding> b, String user, String name, PatternType type, AclOperation... ops) {
            add(b, new ResourcePattern(ResourceType.GROUP, name, type), user, ops);
        }

        private static void transactionalId(
                List<AclBinding> b, String user, String name, PatternType type, AclOperation... ops) {
            add(b, new ResourcePattern(ResourceType.TRANSACTIONAL_ID, name, type), user, ops);
        }

        private static void add(List<AclBinding> b, ResourcePattern resource, String user, AclOperation... ops) {
            for (AclOperation op : ops) {
                b.add(new AclBinding(
                        resource, new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW)));
            }
        }
    }
}
