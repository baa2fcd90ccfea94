package com.northwind.eventing.admin.store;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import org.bson.Document;

/** A MongoDB wire-protocol server in memory on a free loopback port, and a driver client of the test's own on it. */
public final class InMemoryMongo implements AutoCloseable {
    private final MongoServer server = new MongoServer(new MemoryBackend());
    private final String uri;
    private final MongoClient client;

    public InMemoryMongo() {
        server.bind("127.0.0.1", 0);
        InetSocketAddress address = server.getLocalAddress();
        uri = "mongodb://127.0.0.1:" + address.getPort();
        client = MongoClients.create(uri);
    }

    public String uri() {
        return uri;
    }

    public MongoClient client() {
        return client;
    }

    public MongoCollection<Document> events() {
        return client.getDatabase("eventing").getCollection("events");
    }

    @Override
    public void close() {
        client.close();
        server.shutdownNow();
    }
}
