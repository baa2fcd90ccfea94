package com.northwind.eventing.intake.grpc;

import com.northwind.eventing.intake.config.IntakeProperties;
import com.northwind.eventing.intake.publish.Publisher;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The gRPC listener: {@code eventing.v1.EventIntake} on {@code eventing.grpc.address:port}, off when the port is -1.
 * Messages over {@code eventing.limits.max-request-bytes} are refused by gRPC itself (RESOURCE_EXHAUSTED) before they
 * are read.
 *
 * <p>It stops gracefully, before the Kafka producer closes: open streams stop reading and answer what they read, new
 * calls are refused, and calls in flight get their answer once Kafka acknowledged, for up to {@link #GRACE}.
 */
@Component
public class GrpcServer implements SmartLifecycle {
    private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);

    /** How long calls in flight may take to finish at shutdown before they are cut. */
    static final Duration GRACE = Duration.ofSeconds(20);
    /** The HTTP/2 flow-control window per stream, in bytes: gRPC's default before auto-tuning. */
    static final int FLOW_CONTROL_WINDOW = 1024 * 1024;
    /** Threads that run the calls: publishing is CPU work that never waits on Kafka, so a few per core suffice. */
    static final int THREADS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final IntakeProperties.Grpc config;
    private final int maxMessageBytes;
    private final EventIntakeService service;
    private final AuthInterceptor auth;
    private ExecutorService executor;
    private volatile Server server;

    public GrpcServer(Publisher publisher, IntakeProperties properties) {
        this.config = properties.grpc();
        if (config.maxInFlightPerStream() < 1) {
            throw new IllegalArgumentException("eventing.grpc.max-in-flight-per-stream must be 1 or more");
        }
        this.maxMessageBytes =
                (int) Math.min(Integer.MAX_VALUE, properties.limits().maxRequestBytes());
        this.service =
                new EventIntakeService(publisher, properties.limits().maxBatchEvents(), config.maxInFlightPerStream());
        this.auth = new AuthInterceptor(publisher);
    }

    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        if (config.port() < 0) {
            log.info("gRPC intake is off (eventing.grpc.port is {})", config.port());
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "grpc-intake-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Server s = NettyServerBuilder.forAddress(
                        new InetSocketAddress(config.address(), config.port()), InsecureServerCredentials.create())
                .maxInboundMessageSize(maxMessageBytes)
                // A small fixed pool instead of gRPC's default cached one: calls hand their messages to it in batches,
                // and it does not grow a thread per busy stream on a small machine.
                .executor(pool)
                // A fixed window instead of auto-tuning: what a stream holds beyond the events it asked for stays
                // small, so a client that sends flat-out waits in its own buffers, not in the server's memory.
                .flowControlWindow(FLOW_CONTROL_WINDOW)
                .addService(ServerInterceptors.intercept(LenientParsing.apply(service.bindService()), auth))
                .build();
        try {
            s.start();
        } catch (IOException e) {
            pool.shutdown();
            throw new IllegalStateException(
                    "could not listen for gRPC on " + config.address() + ":" + config.port() + ": " + e.getMessage(),
                    e);
        }
        server = s;
        executor = pool;
        log.info("gRPC intake listening on {}:{}", config.address(), s.getPort());
    }

    @Override
    public void stop() {
        Server s;
        ExecutorService pool;
        synchronized (this) {
            s = server;
            pool = executor;
            server = null;
            executor = null;
        }
        if (s == null) {
            return;
        }
        service.stopStreams();
        s.shutdown();
        try {
            if (!s.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("gRPC calls still open after {}; cutting them", GRACE);
                s.shutdownNow();
                s.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            s.shutdownNow();
        } finally {
            pool.shutdown();
        }
        log.info("gRPC intake stopped");
    }

    /** Stops on its own thread so that the web server's graceful shutdown runs at the same time. */
    @Override
    public void stop(Runnable callback) {
        Thread t = new Thread(
                () -> {
                    try {
                        stop();
                    } finally {
                        callback.run();
                    }
                },
                "grpc-shutdown");
        t.start();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** Beside the web server's graceful shutdown: started late, stopped early, before the producer closes. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 1024;
    }

    /** The port gRPC listens on (the one bound when configured as 0), or -1 when it does not listen. */
    public int port() {
        Server s = server;
        return s == null ? -1 : s.getPort();
    }
}
