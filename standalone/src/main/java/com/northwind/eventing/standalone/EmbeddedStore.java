package com.northwind.eventing.standalone;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event store of the standalone platform: a MongoDB wire-protocol server (mongo-java-server) on 127.0.0.1 whose
 * documents live in one MVStore file, {@code <data-dir>/store/events.mv}. admin-api and the Connect sink reach it
 * with the official MongoDB driver, as they would a real MongoDB.
 */
final class EmbeddedStore implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedStore.class);

    private final Path dir;
    private final String host;
    private final int port;
    private MongoServer server;
    private InetSocketAddress address;

    EmbeddedStore(Path dir, String host, int port) {
        this.dir = dir;
        this.host = host;
        this.port = port;
    }

    void start() throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("events.mv");
        server = new MongoServer(new CommittingH2Backend(new MVStore.Builder()
                .fileName(file.toString())
                .autoCommitDisabled()
                .open()));
        server.bind(host, port);
        address = server.getLocalAddress();
        log.info("Event store (MongoDB wire protocol) at {} on {}", connectionString(), file);
    }

    /** The bound port: the one asked for, or the one the system chose for 0. */
    int port() {
        return address.getPort();
    }

    String connectionString() {
        return "mongodb://" + host + ":" + port();
    }

    /** Closes the clients still connected, then the MVStore, which writes what is left to its file. */
    @Override
    public void close() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /**
     * The H2 backend with every change on file before its command is answered, and only whole commands on file. The
     * stock backend leaves a change in memory until the MVStore's background commit, up to a second later: a process
     * killed in between lost writes the client (the Connect sink, which then commits its consumer offsets) had been
     * told were done. The background commit also wrote whatever was in memory at its moment, which could be a
     * document without its {@code _id} index entry: after a kill, an upsert of that document then failed with
     * "already existed" and stopped the sink for good. So the background commit is off, and a commit waits until no
     * command is under way (commands hold the read side of a fair lock, a commit the write side). A commit writes the
     * change to the file, that is, to the OS page cache; a killed process does not lose that, so no fsync is needed
     * here (a power cut could, as with MongoDB's default journal interval).
     */
    static final class CommittingH2Backend extends H2Backend {
        private final MVStore store;
        private final ReentrantReadWriteLock commands = new ReentrantReadWriteLock(true);

        CommittingH2Backend(MVStore store) {
            super(store);
            this.store = store;
        }

        @Override
        public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
            commands.readLock().lock();
            try {
                return super.handleCommand(channel, databaseName, command, query);
            } finally {
                commands.readLock().unlock();
                // Also after a failed command: an ordered bulk write keeps the documents before the one it refused.
                commitWholeCommands();
            }
        }

        private void commitWholeCommands() {
            if (!store.hasUnsavedChanges()) {
                return;
            }
            commands.writeLock().lock();
            try {
                if (store.hasUnsavedChanges()) {
                    store.commit();
                }
            } finally {
                commands.writeLock().unlock();
            }
        }
    }
}
