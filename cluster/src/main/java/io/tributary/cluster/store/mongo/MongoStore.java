package io.tributary.cluster.store.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoDatabase;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.store.AppBroadcast;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The cluster store on MongoDB, for clusters that already run it (as Ant Media Server's do): a standalone
 * server or a replica set, named by a standard {@code mongodb://} (or {@code mongodb+srv://}) connection
 * string whose path names the database ({@code tributary} when it has none). Collections and indexes:
 * {@link MongoSchema}; the change feed: {@link MongoEventLog} and {@link MongoEventFeed}.
 *
 * <p>What it relies on, all in MongoDB 4.4+ (standalone or replica set) and in mongo-java-server 1.47:
 * <ul>
 * <li>single-document atomicity: {@code insertOne} refused with a duplicate-key error (create-if-absent,
 *     event numbering); {@code updateOne}, {@code deleteOne} and {@code findOneAndUpdate} whose filter names
 *     the expected {@code version} or {@code heartbeat} (compare-and-set, delete-if-version, heartbeat,
 *     declaring a node dead);</li>
 * <li>update operators {@code $set}, {@code $inc} and {@code $currentDate}, query operators {@code $ne},
 *     {@code $gte} and {@code $lt}, upserts, {@code findOneAndUpdate}'s pre-image (for the version a save or a
 *     settings put made) and post-image (for a heartbeat), {@code findOneAndDelete}, {@code deleteMany};</li>
 * <li>finds with sort, skip, limit and projection, {@code countDocuments}, {@code createIndex},
 *     {@code listIndexes} and the {@code ping} command;</li>
 * <li>acknowledged writes and reads from the primary, the driver's defaults (with {@code w=0} a create cannot
 *     learn of its duplicate key; reading from secondaries makes reads stale and compare-and-set loops spin).
 *     </li>
 * </ul>
 * What it does without, because mongo-java-server lacks it or a standalone server has none: multi-document
 * transactions and sessions; change streams (they need a replica set's oplog: events are a polled
 * collection); TTL indexes (mongo-java-server never expires them: old events are deleted by age by every
 * store, by their own {@code at} field). It does not use {@code $regex} either: searches match in Java, as in
 * every engine.
 *
 * <p>Failure: the timeout given to {@link #connect} bounds every call, the driver's one retry of a read or
 * write included: it is the driver's client-side operation timeout ({@code timeoutMS}, which also sends
 * {@code maxTimeMS} with each command), and server selection, connect and socket timeouts are set to it too.
 * A connection string's own timeout options win. When MongoDB is gone or hangs, a call throws {@link
 * io.tributary.cluster.store.StoreUnavailableException} after about that long, and the same store works again
 * as soon as a server answers. A call that reads many records ({@link #all()} at start-up) must finish within
 * the timeout as a whole. Writes return once acknowledged under the connection string's write concern
 * (by default the server's: majority on a replica set since MongoDB 5.0), so {@link #flush()} has nothing left
 * to do.
 */
public final class MongoStore implements ClusterStore {

    private final MongoConnection connection;
    private final MongoBroadcasts broadcasts;
    private final MongoNodes nodes;
    private final MongoSettings settings;
    private final MongoRecords records;
    private final MongoEventFeed feed;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private MongoStore(MongoConnection connection, MongoStoreOptions options) {
        this.connection = connection;
        MongoDatabase db = connection.database();
        MongoEventLog eventLog = new MongoEventLog(db.getCollection(MongoSchema.EVENTS), options.clock(),
                options.eventRetention(), connection.where());
        Consumer<StoreEvent> announce = eventLog::announce;
        this.broadcasts = new MongoBroadcasts(db.getCollection(MongoSchema.BROADCASTS), announce);
        this.nodes = new MongoNodes(db.getCollection(MongoSchema.NODES), announce);
        this.settings = new MongoSettings(db.getCollection(MongoSchema.SETTINGS), announce);
        this.records = new MongoRecords(db.getCollection(MongoSchema.RECORDS), System::currentTimeMillis);
        this.feed = new MongoEventFeed(eventLog, connection::failure, options);
    }

    /**
     * Connects, checks that the server answers and sets up collections and indexes.
     *
     * @param uri a {@code mongodb://} or {@code mongodb+srv://} connection string
     * @param timeout how long a call may wait for the server before it fails as unavailable
     * @throws io.tributary.cluster.store.StoreUnavailableException when no server answers within the timeout
     * @throws StoreException when the server refuses (credentials, a database of another schema version)
     * @throws IllegalArgumentException when {@code uri} is not a MongoDB connection string
     */
    public static MongoStore connect(String uri, Duration timeout) {
        return connect(uri, MongoStoreOptions.defaults(timeout));
    }

    static MongoStore connect(String uri, MongoStoreOptions options) {
        MongoConnection connection = MongoConnection.open(uri, options);
        try {
            MongoSchema.ensure(connection.database(), connection.where());
            return new MongoStore(connection, options);
        } catch (MongoException e) {
            StoreException failure = connection.failure(e);
            connection.close();
            throw failure;
        } catch (RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    @Override
    public String engine() {
        return "mongodb";
    }

    /** The name of the database this store uses. */
    public String databaseName() {
        return connection.database().getName();
    }

    @Override
    public Optional<Broadcast> get(String app, String streamId) {
        return call(() -> broadcasts.get(app, streamId));
    }

    @Override
    public boolean create(String app, Broadcast broadcast) {
        return call(() -> broadcasts.create(app, broadcast));
    }

    @Override
    public Broadcast save(String app, Broadcast broadcast) {
        return call(() -> broadcasts.save(app, broadcast));
    }

    @Override
    public Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        return call(() -> broadcasts.update(app, streamId, change));
    }

    @Override
    public boolean delete(String app, String streamId) {
        return call(() -> broadcasts.delete(app, streamId));
    }

    @Override
    public Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        return call(() -> broadcasts.compareAndSet(app, replacement, expectedVersion));
    }

    @Override
    public boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        return call(() -> broadcasts.deleteIfVersion(app, streamId, expectedVersion));
    }

    @Override
    public List<AppBroadcast> broadcastingOn(String nodeId) {
        return call(() -> broadcasts.broadcastingOn(nodeId));
    }

    @Override
    public List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        return call(() -> broadcasts.list(app, offset, size, query));
    }

    @Override
    public long count(String app) {
        return call(() -> broadcasts.count(app));
    }

    @Override
    public long countByStatus(String app, BroadcastStatus status) {
        return call(() -> broadcasts.countByStatus(app, status));
    }

    @Override
    public Map<String, List<Broadcast>> all() {
        return call(broadcasts::all);
    }

    @Override
    public void putNode(NodeRecord node) {
        call(() -> {
            nodes.put(node);
            return null;
        });
    }

    @Override
    public Optional<NodeRecord> node(String nodeId) {
        return call(() -> nodes.node(nodeId));
    }

    @Override
    public List<NodeRecord> nodes() {
        return call(nodes::nodes);
    }

    /** {@code now} is not used: {@code updatedAt} is the server's time, so all nodes share one clock. */
    @Override
    public Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now) {
        return call(() -> nodes.heartbeat(nodeId, instance, load));
    }

    @Override
    public boolean markDead(String nodeId, long atHeartbeat) {
        return call(() -> nodes.markDead(nodeId, atHeartbeat));
    }

    @Override
    public boolean removeNode(String nodeId) {
        return call(() -> nodes.remove(nodeId));
    }

    @Override
    public AppSettings appSettings(String app) {
        return call(() -> settings.get(app));
    }

    @Override
    public AppSettings putAppSettings(String app, AppSettings value) {
        return call(() -> settings.put(app, value));
    }

    @Override
    public boolean insertRecord(RecordKind kind, String key, String json, long expiresAt) {
        return call(() -> records.insert(kind, key, json, expiresAt));
    }

    @Override
    public void putRecord(RecordKind kind, String key, String json, long expiresAt) {
        call(() -> {
            records.put(kind, key, json, expiresAt);
            return null;
        });
    }

    @Override
    public Optional<String> record(RecordKind kind, String key) {
        return call(() -> records.get(kind, key));
    }

    @Override
    public SortedMap<String, String> records(RecordKind kind) {
        return call(() -> records.all(kind));
    }

    @Override
    public Optional<String> takeRecord(RecordKind kind, String key) {
        return call(() -> records.take(kind, key));
    }


    /** Events arrive within about one poll period (200 ms) of the write, on the store's event thread. */
    @Override
    public AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        return call(() -> feed.subscribe(listener));
    }

    @Override
    public void ping() {
        call(() -> {
            connection.ping();
            return null;
        });
    }

    /** Nothing to do: every write returned only once MongoDB acknowledged it under the write concern. */
    @Override
    public void flush() {
        call(() -> null);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            feed.close();
            connection.close();
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "MongoStore[" + connection.where() + "/" + databaseName() + "]";
    }

    /** Runs {@code action} unless closed, translating driver failures; close waits for running calls. */
    private <T> T call(Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            return action.get();
        } catch (MongoException e) {
            throw connection.failure(e);
        } finally {
            lock.readLock().unlock();
        }
    }
}
