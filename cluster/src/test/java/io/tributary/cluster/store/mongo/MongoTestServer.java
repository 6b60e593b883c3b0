package io.tributary.cluster.store.mongo;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.slf4j.LoggerFactory;

/**
 * A mongo-java-server with its in-memory backend on 127.0.0.1 and a free port, standing in for mongod (which
 * cannot be installed here). It can be stopped and started again on the same port, empty, as a restarted
 * server without persistence would be.
 */
final class MongoTestServer implements AutoCloseable {

    static {
        // It warns about every secondary index it keeps without using, and about clients it closes on shutdown.
        ((Logger) LoggerFactory.getLogger("de.bwaldvogel")).setLevel(Level.ERROR);
    }

    private MongoServer server;
    private final int port;
    private MongoClient client;

    private MongoTestServer(MongoServer server) {
        this.server = server;
        this.port = server.getLocalAddress().getPort();
    }

    static MongoTestServer start() {
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", 0);
        return new MongoTestServer(server);
    }

    int port() {
        return port;
    }

    String uri(String database) {
        return "mongodb://127.0.0.1:" + port + "/" + database;
    }

    /** A plain driver client, for looking at what the store wrote. */
    MongoDatabase database(String name) {
        if (client == null) {
            client = MongoClients.create("mongodb://127.0.0.1:" + port + "/?serverSelectionTimeoutMS=2000");
        }
        return client.getDatabase(name);
    }

    /** Stops listening and drops every connection, as a crashed server would. */
    void stop() {
        if (server != null) {
            server.shutdownNow();
            server = null;
        }
    }

    /** A new, empty server on the same port. */
    void restart() {
        stop();
        MongoServer fresh = new MongoServer(new MemoryBackend());
        fresh.bind("127.0.0.1", port);
        server = fresh;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
        stop();
    }
}
