package io.tributary.cluster.store.mongo;

import com.mongodb.ConnectionString;
import com.mongodb.ErrorCategory;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoInterruptedException;
import com.mongodb.MongoNamespace;
import com.mongodb.MongoNodeIsRecoveringException;
import com.mongodb.MongoNotPrimaryException;
import com.mongodb.MongoOperationTimeoutException;
import com.mongodb.MongoServerException;
import com.mongodb.MongoServerUnavailableException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.connection.ServerDescription;
import io.tributary.cluster.store.StoreException;
import io.tributary.cluster.store.StoreUnavailableException;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.bson.Document;

/**
 * One MongoDB client and database, with the timeouts that make a call fail fast, and the translation of
 * driver exceptions into the store's: whatever means "the service cannot be reached" (server selection
 * timed out, a socket failed, the primary stepped down) becomes a {@link StoreUnavailableException}
 * naming the hosts, anything else a {@link StoreException}. Messages name hosts, never credentials.
 */
final class MongoConnection implements AutoCloseable {

    static final String DEFAULT_DATABASE = "tributary";
    private static final int DEFAULT_PORT = 27017;

    private final MongoClient client;
    private final MongoDatabase database;
    private final String where;

    private MongoConnection(MongoClient client, MongoDatabase database, String where) {
        this.client = client;
        this.database = database;
        this.where = where;
    }

    /**
     * Connects and checks with a ping that the server answers. The connection string's own timeouts win
     * over {@code options.timeout()}, so an operator can tune them there.
     *
     * <p>The timeout is applied as the driver's client-side operation timeout ({@code timeoutMS}), because
     * that is the one setting that bounds a whole call, the driver's retry included: with only socket and
     * server-selection timeouts, a server that accepts connections but no longer answers held the first call
     * for three read timeouts (measured: 6 s with 2 s timeouts). The Java API for it is marked alpha; the
     * {@code timeoutMS} option itself is the drivers' common specification. The classic timeouts are set too,
     * for a connection string that turns {@code timeoutMS} off with 0.
     */
    static MongoConnection open(String uri, MongoStoreOptions options) {
        Objects.requireNonNull(uri, "uri");
        ConnectionString cs;
        try {
            cs = new ConnectionString(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a MongoDB connection string: " + e.getMessage(), e);
        }
        int ms = (int) Math.min(Integer.MAX_VALUE, options.timeout().toMillis());
        MongoClientSettings settings = MongoClientSettings.builder()
                .applyConnectionString(cs)
                .applicationName(cs.getApplicationName() == null ? "tributary" : cs.getApplicationName())
                .timeout(cs.getTimeout() == null ? ms : cs.getTimeout(), TimeUnit.MILLISECONDS)
                .applyToClusterSettings(b -> {
                    if (cs.getServerSelectionTimeout() == null) {
                        b.serverSelectionTimeout(ms, TimeUnit.MILLISECONDS);
                    }
                })
                .applyToSocketSettings(b -> {
                    if (cs.getConnectTimeout() == null) {
                        b.connectTimeout(ms, TimeUnit.MILLISECONDS);
                    }
                    if (cs.getSocketTimeout() == null) {
                        b.readTimeout(ms, TimeUnit.MILLISECONDS);
                    }
                })
                .applyToConnectionPoolSettings(b -> {
                    if (cs.getMaxWaitTime() == null) {
                        b.maxWaitTime(ms, TimeUnit.MILLISECONDS);
                    }
                })
                .build();
        String name = cs.getDatabase() == null || cs.getDatabase().isEmpty() ? DEFAULT_DATABASE : cs.getDatabase();
        MongoNamespace.checkDatabaseNameValidity(name);
        MongoClient client = MongoClients.create(settings);
        MongoConnection connection = new MongoConnection(client, client.getDatabase(name), hosts(cs));
        try {
            connection.ping();
            return connection;
        } catch (MongoException e) {
            StoreException failure = connection.failure(e);
            client.close();
            throw failure;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    MongoDatabase database() {
        return database;
    }

    /** The hosts of the connection string, for messages. */
    String where() {
        return where;
    }

    void ping() {
        database.runCommand(new Document("ping", 1));
    }

    /** The store's exception for a driver exception. */
    StoreException failure(MongoException e) {
        if (e instanceof MongoInterruptedException) {
            Thread.currentThread().interrupt();
            return new StoreException("interrupted while talking to MongoDB at " + where, e);
        }
        if (isUnreachable(e)) {
            return new StoreUnavailableException("MongoDB at " + where + " is unreachable: " + reason(e), e);
        }
        return new StoreException("MongoDB at " + where + " failed: " + e.getMessage(), e);
    }

    static boolean isUnreachable(MongoException e) {
        return e instanceof MongoTimeoutException || e instanceof MongoSocketException
                || e instanceof MongoConnectionPoolClearedException || e instanceof MongoServerUnavailableException
                || e instanceof MongoNotPrimaryException || e instanceof MongoNodeIsRecoveringException;
    }

    /** Whether a write failed because its id (or another unique key) is taken. */
    static boolean isDuplicateKey(MongoException e) {
        if (e instanceof MongoWriteException w) {
            return w.getError().getCategory() == ErrorCategory.DUPLICATE_KEY;
        }
        return e instanceof MongoServerException s
                && ErrorCategory.fromErrorCode(s.getCode()) == ErrorCategory.DUPLICATE_KEY;
    }

    @Override
    public void close() {
        client.close();
    }

    /**
     * A timeout's own message is either bare or the driver's whole view of the cluster; what an operator needs
     * is why the servers could not be used, which the cause and the cluster description keep.
     */
    private String reason(MongoException e) {
        if (!(e instanceof MongoTimeoutException)) {
            return rootMessage(e);
        }
        Set<String> causes = new LinkedHashSet<>();
        if (e.getCause() != null) {
            causes.add(rootMessage(e.getCause()));
        }
        client.getClusterDescription().getServerDescriptions().stream()
                .map(ServerDescription::getException)
                .filter(Objects::nonNull)
                .forEach(x -> causes.add(rootMessage(x)));
        String what = e instanceof MongoOperationTimeoutException ? "no answer in time" : "no usable server";
        return what + (causes.isEmpty() ? "" : " (" + String.join("; ", causes) + ")");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root == e && e instanceof MongoException ? String.valueOf(e.getMessage())
                : root.getClass().getSimpleName() + message;
    }

    private static String hosts(ConnectionString cs) {
        if (cs.isSrvProtocol()) {
            return String.join(",", cs.getHosts()) + " (SRV)";
        }
        return cs.getHosts().stream().map(MongoConnection::withPort).collect(Collectors.joining(","));
    }

    private static String withPort(String host) {
        boolean hasPort = host.startsWith("[") ? host.contains("]:") : host.contains(":");
        return hasPort ? host : host + ":" + DEFAULT_PORT;
    }
}
