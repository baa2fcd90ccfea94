package com.northwind.eventing.standalone;

import com.northwind.eventing.admin.AdminApiApplication;
import com.northwind.eventing.common.kafka.NativeLz4;
import com.northwind.eventing.intake.IntakeApplication;
import com.northwind.eventing.router.RouterApplication;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The whole platform in one JVM, for development and demos: an embedded KRaft broker, then admin-api with the
 * embedded schema registry, then the intake (REST and gRPC), then the router (Kafka Streams, its state under
 * {@code <data-dir>/router}); beside them the event store: a MongoDB wire-protocol server (its file under
 * {@code <data-dir>/store}) and a Kafka Connect worker whose MongoDB sink fills it from {@code eventing.store}.
 * Everything binds to 127.0.0.1 and keeps its state under the data directory.
 *
 * <pre>
 * java -jar standalone/target/eventing-standalone.jar [--data-dir=./data] [--kafka-port=9092]
 *      [--controller-port=9093] [--admin-port=8081] [--intake-port=8080]
 *      [--grpc-port=9090] [--router-port=8082] [--router=on|off] [--store-port=27017]
 *      [--connect-port=8083] [--store=on|off] [--kafka-auth=none|scram] [any Spring property as --key=value]
 * </pre>
 */
public final class StandaloneMain {
    private static final Logger log = LoggerFactory.getLogger(StandaloneMain.class);
    static final String HOST = "127.0.0.1";

    private StandaloneMain() {}

    /** The options of the standalone platform; the rest of the arguments go to the services as Spring properties. */
    record Options(
            Path dataDir,
            int kafkaPort,
            int controllerPort,
            int adminPort,
            int intakePort,
            int grpcPort,
            int routerPort,
            boolean router,
            int storePort,
            int connectPort,
            boolean store,
            boolean kafkaScram,
            List<String> passThrough) {
        static Options parse(String[] args) {
            Map<String, String> known = new HashMap<>(Map.ofEntries(
                    Map.entry("data-dir", envOr("EVENTING_DATA_DIR", "./data")),
                    Map.entry("kafka-port", "9092"),
                    Map.entry("controller-port", "9093"),
                    Map.entry("admin-port", "8081"),
                    Map.entry("intake-port", "8080"),
                    Map.entry("grpc-port", "9090"),
                    Map.entry("router-port", "8082"),
                    Map.entry("router", "on"),
                    Map.entry("store-port", "27017"),
                    Map.entry("connect-port", "8083"),
                    Map.entry("store", "on"),
                    Map.entry("kafka-auth", "none")));
            List<String> rest = new ArrayList<>();
            for (String arg : args) {
                if (arg.equals("--help") || arg.equals("-h")) {
                    System.out.println(usage());
                    System.exit(0);
                }
                int eq = arg.indexOf('=');
                String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
                if (name != null && known.containsKey(name)) {
                    known.put(name, arg.substring(eq + 1));
                } else if (arg.startsWith("--") && eq > 2) {
                    rest.add(arg);
                } else {
                    throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + usage());
                }
            }
            return new Options(
                    Path.of(known.get("data-dir")).toAbsolutePath().normalize(),
                    port(known, "kafka-port"),
                    port(known, "controller-port"),
                    port(known, "admin-port"),
                    port(known, "intake-port"),
                    port(known, "grpc-port"),
                    port(known, "router-port"),
                    onOff(known, "router"),
                    portOrAny(known, "store-port"),
                    port(known, "connect-port"),
                    onOff(known, "store"),
                    kafkaAuth(known),
                    List.copyOf(rest));
        }

        private static int port(Map<String, String> known, String name) {
            try {
                int p = Integer.parseInt(known.get(name));
                if (p > 0 && p < 65536) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--" + name + " must be a port number, not '" + known.get(name) + "'");
        }

        /** A port number, or 0 for one the system chooses (tests). */
        private static int portOrAny(Map<String, String> known, String name) {
            return "0".equals(known.get(name)) ? 0 : port(known, name);
        }

        private static boolean onOff(Map<String, String> known, String name) {
            return switch (known.get(name)) {
                case "on", "true" -> true;
                case "off", "false" -> false;
                default ->
                    throw new IllegalArgumentException(
                            "--" + name + " must be on or off, not '" + known.get(name) + "'");
            };
        }

        /** {@code --kafka-auth=none} (PLAINTEXT, no authorizer) or {@code scram}; true for scram. */
        private static boolean kafkaAuth(Map<String, String> known) {
            return switch (known.get("kafka-auth")) {
                case "none" -> false;
                case "scram" -> true;
                default ->
                    throw new IllegalArgumentException(
                            "--kafka-auth must be none or scram, not '" + known.get("kafka-auth") + "'");
            };
        }

        private static String envOr(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }

        static String usage() {
            return "usage: java -jar eventing-standalone.jar [--data-dir=./data] [--kafka-port=9092]"
                    + " [--controller-port=9093] [--admin-port=8081] [--intake-port=8080] [--grpc-port=9090]"
                    + " [--router-port=8082] [--router=on|off] [--store-port=27017] [--connect-port=8083]"
                    + " [--store=on|off] [--kafka-auth=none|scram] [--spring.property=value ...]";
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        // Before the broker starts: it decompresses the firehose's lz4 batches to validate them.
        NativeLz4.load();
        Platform platform = new Platform(options);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            platform.close();
                            stopped.countDown();
                        },
                        "eventing-shutdown"));
        try {
            platform.start();
        } catch (Exception e) {
            log.error("The platform could not start: {}", e.getMessage(), e);
            System.exit(1);
        }
        System.out.println(platform.describe());
        stopped.await();
    }

    /** The running platform: the broker and the services, started in order and stopped in reverse. */
    static final class Platform implements AutoCloseable {
        private final Options options;
        private EmbeddedKafka kafka;
        private EmbeddedStore store;
        private EmbeddedConnect connect;
        private CompletableFuture<Void> connectStarted;
        private ConfigurableApplicationContext admin;
        private ConfigurableApplicationContext intake;
        private ConfigurableApplicationContext router;
        private AdminToken.Resolved token;
        /** SASL/SCRAM and ACLs on Kafka ({@code --kafka-auth=scram}), or null. */
        private KafkaAuth kafkaAuth;
        /**
         * The platform services' credential for the embedded registry, the only one that may write its eventing.*
         * subjects: new at each start and never written down, so nothing outside this JVM holds it.
         */
        private final String serviceToken = serviceToken();

        Platform(Options options) {
            this.options = options;
        }

        /**
         * Starts the broker and the services. The services register no shutdown hook of their own: Spring's would
         * close them all at once, in parallel with {@link #close}, and the router would lose the registry and the
         * broker while it still commits.
         */
        void start() throws Exception {
            long t0 = System.nanoTime();
            DataDir.prepare(options.dataDir());
            token = AdminToken.resolve(System.getenv(AdminToken.ENV), options.dataDir());
            kafkaAuth = options.kafkaScram() ? new KafkaAuth() : null;
            kafka = new EmbeddedKafka(
                    options.dataDir().resolve("kafka"), HOST, options.kafkaPort(), options.controllerPort(), kafkaAuth);
            kafka.start();
            if (kafkaAuth != null) {
                kafkaAuth.provision(kafka.bootstrapServers());
            }
            log.info("Kafka is up at {}", kafka.bootstrapServers());
            List<String> storeArgs = options.store() ? startStore() : List.of();
            List<String> adminArgs = new ArrayList<>(List.of(
                    "--server.address=" + HOST,
                    "--server.port=" + options.adminPort(),
                    "--spring.application.name=eventing-admin-api",
                    "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--eventing.admin-token=" + token.token(),
                    "--eventing.schema-registry.service-token=" + serviceToken,
                    "--eventing.registry.replication-factor=1",
                    "--eventing.subscriptions.replication-factor=1"));
            if (kafkaAuth != null) {
                adminArgs.addAll(kafkaAuth.serviceArgs(KafkaAuth.ADMIN_USER));
                adminArgs.add("--eventing.kafka.app-credentials.enabled=true");
                adminArgs.add("--eventing.kafka.app-credentials.router-principal=User:" + KafkaAuth.ROUTER_USER);
            }
            adminArgs.addAll(storeArgs);
            adminArgs.addAll(options.passThrough());
            admin = AdminApiApplication.builder().registerShutdownHook(false).run(adminArgs.toArray(String[]::new));
            List<String> intakeArgs = new ArrayList<>(List.of(
                    "--server.address=" + HOST,
                    "--server.port=" + options.intakePort(),
                    "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--eventing.schema-registry.url=http://" + HOST + ":" + options.adminPort(),
                    "--eventing.schema-registry.bearer-token=" + serviceToken,
                    "--eventing.firehose.replication-factor=1",
                    "--eventing.grpc.address=" + HOST,
                    "--eventing.grpc.port=" + options.grpcPort()));
            if (kafkaAuth != null) {
                intakeArgs.addAll(kafkaAuth.serviceArgs(KafkaAuth.INTAKE_USER));
            }
            intakeArgs.addAll(options.passThrough());
            intake = IntakeApplication.builder().registerShutdownHook(false).run(intakeArgs.toArray(String[]::new));
            if (options.router()) {
                startRouter();
            } else {
                log.info("The router is off (--router=off): events reach the firehose and go no further");
            }
            if (connectStarted != null) {
                connectStarted.get();
            }
            log.info("Platform started in {} ms", (System.nanoTime() - t0) / 1_000_000);
        }

        /**
         * The store's server, and the Connect worker that fills it; answers what admin-api needs to reach both. The
         * worker starts beside the services (its plugin scan takes seconds): admin-api puts the connector's
         * configuration into it once it answers. The worker's own topics and the dead-letter topic get one replica:
         * there is one broker.
         */
        private List<String> startStore() throws Exception {
            store = new EmbeddedStore(options.dataDir().resolve("store"), HOST, options.storePort());
            store.start();
            connect = new EmbeddedConnect(
                    kafka.bootstrapServers(),
                    HOST,
                    options.connectPort(),
                    kafkaAuth == null ? Map.of() : kafkaAuth.clientProperties(KafkaAuth.CONNECT_USER));
            connectStarted = CompletableFuture.runAsync(connect::start, runnable -> {
                Thread thread = new Thread(runnable, "connect-start");
                thread.setDaemon(true);
                thread.start();
            });
            return List.of(
                    "--eventing.store.uri=" + store.connectionString(),
                    "--eventing.store.connect.url=" + connect.url(),
                    "--eventing.store.connect.replication-factor=1");
        }

        /** After the intake: it creates the firehose, the router's source topic. */
        private void startRouter() {
            List<String> routerArgs = new ArrayList<>(List.of(
                    "--server.address=" + HOST,
                    "--server.port=" + options.routerPort(),
                    "--eventing.kafka.bootstrap-servers=" + kafka.bootstrapServers(),
                    "--eventing.schema-registry.url=http://" + HOST + ":" + options.adminPort(),
                    "--eventing.schema-registry.bearer-token=" + serviceToken,
                    "--eventing.router.state-dir=" + options.dataDir().resolve("router"),
                    "--eventing.router.replication-factor=1"));
            if (kafkaAuth != null) {
                routerArgs.addAll(kafkaAuth.serviceArgs(KafkaAuth.ROUTER_USER));
            }
            routerArgs.addAll(options.passThrough());
            router = RouterApplication.builder().registerShutdownHook(false).run(routerArgs.toArray(String[]::new));
        }

        /** 256 random bits, base64url: 43 characters. */
        private static String serviceToken() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return "svc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }

        String describe() {
            String admin = "http://" + HOST + ":" + options.adminPort();
            return String.join(
                    "\n",
                    "",
                    "Eventing platform (standalone) is running",
                    "  data directory   " + options.dataDir(),
                    "  Kafka            " + kafka.bootstrapServers() + "  (KRaft, single node, "
                            + (kafkaAuth == null
                                    ? "PLAINTEXT, no authorizer)"
                                    : "SASL_PLAINTEXT SCRAM-SHA-512, ACLs: deny unless allowed)"),
                    "  admin API        " + admin + "/v1  (Authorization: Bearer <admin token>)",
                    "  schema registry  " + admin
                            + "  (Confluent REST API; reads open, writes: Authorization: Bearer <admin token>)",
                    "  health           " + admin + "/actuator/health",
                    "  admin token      from " + token.source(),
                    "  intake REST      http://" + HOST + ":" + options.intakePort()
                            + "/v1/events  (Authorization: Bearer <app token>)",
                    "  intake gRPC      " + HOST + ":" + options.grpcPort() + "  (eventing.v1.EventIntake)",
                    options.router()
                            ? "  router           Kafka Streams, health at http://" + HOST + ":" + options.routerPort()
                                    + "/actuator/health  (state in "
                                    + options.dataDir().resolve("router") + ")"
                            : "  router           off (--router=off): nothing is routed to subscriptions",
                    options.store()
                            ? "  event store      " + store.connectionString() + "  (MongoDB wire protocol; data in "
                                    + options.dataDir().resolve("store") + ")"
                            : "  event store      off (--store=off)",
                    options.store()
                            ? "  Kafka Connect    " + connect.url() + "  (MongoDB sink from eventing.store)"
                            : "  Kafka Connect    off (--store=off)",
                    "",
                    kafkaAuth == null ? "" : kafkaConnectHint(),
                    "Try: curl -H \"Authorization: Bearer " + tokenHint() + "\" " + admin + "/v1/event-types",
                    "Stop with Ctrl-C (SIGTERM): state is kept for the next start.",
                    "");
        }

        /** How an app connects with the credentials POST /v1/apps answered; no password is printed. */
        private String kafkaConnectHint() {
            String b = kafka.bootstrapServers();
            return String.join(
                    "\n",
                    "Kafka clients log in with the app's credentials from POST /v1/apps (\"kafka\": username app-<id>,"
                            + " password), consumer groups named <app id>.<anything>:",
                    "  kcat -b " + b + " -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms=SCRAM-SHA-512"
                            + " -X sasl.username=app-<id> -X sasl.password=<password> -G <id>.reader"
                            + " eventing.sub.<subscription>",
                    "  Java: bootstrap.servers=" + b + ", security.protocol=SASL_PLAINTEXT,"
                            + " sasl.mechanism=SCRAM-SHA-512, sasl.jaas.config=org.apache.kafka.common.security.scram"
                            + ".ScramLoginModule required username=\"app-<id>\" password=\"<password>\";,"
                            + " group.id=<id>.reader",
                    "");
        }

        private String tokenHint() {
            return token.fromEnvironment()
                    ? "$" + AdminToken.ENV
                    : "$(cat " + options.dataDir().resolve("admin-token") + ")";
        }

        /** A stop during start: the worker is stopped once its start is over, not while it starts. */
        private void awaitConnectStart() {
            try {
                connectStarted.get(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("The Connect worker did not start: {}", e.toString());
            }
        }

        @Override
        public synchronized void close() {
            // The router first: it commits its open transaction while the broker and the registry are still up.
            if (router != null) {
                router.close();
                router = null;
            }
            if (intake != null) {
                intake.close();
                intake = null;
            }
            if (admin != null) {
                admin.close();
                admin = null;
            }
            // Connect before the store's server: the sink task flushes and commits its offsets on the way out, and
            // what it wrote must reach the file first. Both before Kafka, which Connect commits to.
            if (connect != null) {
                awaitConnectStart();
                connect.close();
                connect = null;
            }
            if (store != null) {
                store.close();
                store = null;
            }
            if (kafka != null) {
                kafka.close();
                kafka = null;
            }
        }
    }
}
