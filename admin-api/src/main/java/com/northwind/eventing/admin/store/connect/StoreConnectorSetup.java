package com.northwind.eventing.admin.store.connect;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import tools.jackson.databind.JsonNode;

/**
 * Puts the store's sink connector into Connect once admin-api is ready, in the background: while Connect is not up
 * yet it tries again with backoff, and admin-api serves meanwhile. A configuration Connect already has is left alone,
 * so a restart of admin-api does not restart the connector's tasks.
 */
final class StoreConnectorSetup implements ApplicationListener<ApplicationReadyEvent>, DisposableBean {
    private static final Logger log = LoggerFactory.getLogger(StoreConnectorSetup.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(500);
    private static final int MAX_MESSAGE = 500;

    private final StoreConnectProperties properties;
    private final StoreSinkConfig sink;
    private final ConnectRest rest;
    private volatile Thread thread;
    private volatile boolean done;

    StoreConnectorSetup(StoreConnectProperties properties, StoreSinkConfig sink, ConnectRest rest) {
        this.properties = properties;
        this.sink = sink;
        this.rest = rest;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::run, "store-connector-setup");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** Whether Connect has the connector's configuration, as put or as found. */
    boolean done() {
        return done;
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        int attempt = 0;
        while (!Thread.currentThread().isInterrupted()) {
            attempt++;
            try {
                if (configure()) {
                    done = true;
                    return;
                }
            } catch (IOException e) {
                log.warn(
                        "Kafka Connect at {} is not reachable (attempt {}, {}); trying again in {} ms",
                        properties.url(),
                        attempt,
                        e.getClass().getSimpleName(),
                        backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.error("Configuring the store's sink connector failed (attempt {}); trying again", attempt, e);
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(properties.maxBackoff()) > 0
                    ? properties.maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    /** One attempt: answers whether Connect now has the configuration. */
    private boolean configure() throws IOException, InterruptedException {
        ConnectRest.Answer current = rest.config();
        if (current.status() == 200 && sameConfig(current.body())) {
            log.info("The store's sink connector is configured already: {}", sink.loggable());
            return true;
        }
        if (current.status() != 200 && current.status() != 404) {
            // Connect answers 409 while its group rebalances, and 500 or 503 while it starts.
            log.warn(
                    "Kafka Connect answered {} for the connector {}: {}",
                    current.status(),
                    properties.connectorName(),
                    safe(current.message()));
            return false;
        }
        ConnectRest.Answer put = rest.putConfig(sink.config());
        if (put.ok()) {
            log.info(
                    "{} the store's sink connector in Kafka Connect: {}",
                    put.status() == 201 ? "Created" : "Updated",
                    sink.loggable());
            return true;
        }
        log.error(
                "Kafka Connect refused the store's sink connector {} with {}: {}",
                properties.connectorName(),
                put.status(),
                safe(put.message()));
        return false;
    }

    private boolean sameConfig(JsonNode current) {
        Map<String, String> have = new HashMap<>();
        current.properties().forEach(e -> have.put(e.getKey(), e.getValue().asString()));
        // Connect adds the connector's name to the configuration it keeps.
        have.remove("name");
        return have.equals(sink.config());
    }

    /** Connect's message without the connection string, which a validation error may quote; and not too long. */
    private String safe(String message) {
        String uri = sink.config().get("connection.uri");
        String s = message.replace(uri, sink.loggable().get("connection.uri"));
        return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "..." : s;
    }

    @Override
    public void destroy() throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            t.join(5_000);
        }
    }
}
