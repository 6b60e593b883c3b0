package io.tributary.cluster.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
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
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The cluster store on Redis (standalone or behind Sentinel), for clusters of nodes sharing one Redis. Key
 * layout in {@link RedisKeys}, atomic writes in {@link BroadcastScripts} and {@link NodeScripts}, events on
 * a pub/sub channel through {@link RedisEventFeed}, accepted URIs in {@link RedisTarget}.
 *
 * <p>Outages: commands are rejected at once while the connection is down and time out after the command
 * timeout otherwise, so every call fails within about that timeout with a StoreUnavailableException
 * ("Redis at host:port is unreachable: ..."), never queueing. Lettuce reconnects in the background (retries
 * at most a second apart) and resubscribes the event feed, so the same store works again once Redis is back.
 * A write whose reply was lost to a disconnect may or may not have happened; it is never replayed.
 *
 * <p>Durability is Redis's own (its {@code appendonly}/{@code appendfsync} settings): a write returns once
 * Redis has applied it, so {@link #flush()} has nothing left to push and only checks the store is open.
 *
 * <p>Calls are blocking (the sync API on one multiplexed connection): run them on a store executor, never
 * on an event loop. Thread-safe; close waits for running calls.
 */
public final class RedisStore implements ClusterStore {

    private final RedisTarget target;
    private final RedisFailures failures;
    private final ClientResources resources;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisEventFeed feed;
    private final RedisBroadcasts broadcasts;
    private final RedisNodes nodes;
    private final RedisRecords records;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    private RedisStore(RedisTarget target, RedisFailures failures, ClientResources resources, RedisClient client,
                       StatefulRedisConnection<String, String> connection, RedisEventFeed feed) {
        this.target = target;
        this.failures = failures;
        this.resources = resources;
        this.client = client;
        this.connection = connection;
        this.feed = feed;
        this.broadcasts = new RedisBroadcasts(connection.sync());
        this.nodes = new RedisNodes(connection.sync());
        this.records = new RedisRecords(connection.sync());
    }

    /**
     * Connects (command and pub/sub connections) and checks the key layout version, or fails with a
     * {@link StoreException} that names the server and the reason: refused, authentication failed, unknown
     * sentinel master, no answer (a {@link io.tributary.cluster.store.StoreUnavailableException} when Redis
     * could not be reached at all). See {@link RedisTarget} for the URI forms.
     *
     * @param commandTimeout how long one command (and one connection attempt) may take
     */
    public static RedisStore connect(String uri, Duration commandTimeout) {
        RedisTarget target = RedisTarget.parse(uri, commandTimeout);
        RedisFailures failures = new RedisFailures(target, commandTimeout);
        ClientResources resources = DefaultClientResources.builder()
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Lettuce's default backs off to 30 s; a store that is back should be used again within a second.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail fast while disconnected instead of buffering commands without bound.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
                .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).keepAlive(true).build())
                .build());
        StatefulRedisConnection<String, String> connection = null;
        RedisEventFeed feed = null;
        try {
            connection = client.connect(target.uri());
            checkLayout(connection.sync(), target);
            feed = RedisEventFeed.open(client, target.uri());
            return new RedisStore(target, failures, resources, client, connection, feed);
        } catch (RuntimeException e) {
            shutdown(feed, connection, client, resources);
            throw e instanceof StoreException se ? se : failures.connecting(e);
        }
    }

    @Override
    public String engine() {
        return "redis";
    }

    @Override
    public Optional<Broadcast> get(String app, String streamId) {
        return guarded(() -> broadcasts.get(app, streamId));
    }

    @Override
    public boolean create(String app, Broadcast broadcast) {
        return guarded(() -> broadcasts.create(app, broadcast));
    }

    @Override
    public Broadcast save(String app, Broadcast broadcast) {
        return guarded(() -> broadcasts.save(app, broadcast));
    }

    @Override
    public Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        return guarded(() -> broadcasts.update(app, streamId, change));
    }

    @Override
    public boolean delete(String app, String streamId) {
        return guarded(() -> broadcasts.delete(app, streamId));
    }

    @Override
    public Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        return guarded(() -> broadcasts.compareAndSet(app, replacement, expectedVersion));
    }

    @Override
    public boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        return guarded(() -> broadcasts.deleteIfVersion(app, streamId, expectedVersion));
    }

    @Override
    public List<AppBroadcast> broadcastingOn(String nodeId) {
        return guarded(() -> broadcasts.broadcastingOn(nodeId));
    }

    @Override
    public List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        return guarded(() -> broadcasts.list(app, offset, size, query));
    }

    @Override
    public long count(String app) {
        return guarded(() -> broadcasts.count(app));
    }

    @Override
    public long countByStatus(String app, BroadcastStatus status) {
        return guarded(() -> broadcasts.countByStatus(app, status));
    }

    @Override
    public Map<String, List<Broadcast>> all() {
        return guarded(broadcasts::all);
    }

    @Override
    public void putNode(NodeRecord node) {
        guarded(() -> {
            nodes.put(node);
            return null;
        });
    }

    @Override
    public Optional<NodeRecord> node(String nodeId) {
        return guarded(() -> nodes.get(nodeId));
    }

    @Override
    public List<NodeRecord> nodes() {
        return guarded(nodes::all);
    }

    @Override
    public Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now) {
        return guarded(() -> nodes.heartbeat(nodeId, instance, load, now));
    }

    @Override
    public boolean markDead(String nodeId, long atHeartbeat) {
        return guarded(() -> nodes.markDead(nodeId, atHeartbeat));
    }

    @Override
    public boolean removeNode(String nodeId) {
        return guarded(() -> nodes.remove(nodeId));
    }

    @Override
    public AppSettings appSettings(String app) {
        return guarded(() -> nodes.settings(app));
    }

    @Override
    public AppSettings putAppSettings(String app, AppSettings settings) {
        return guarded(() -> nodes.putSettings(app, settings));
    }

    @Override
    public boolean insertRecord(RecordKind kind, String key, String json, long expiresAt) {
        return guarded(() -> records.insert(kind, key, json, expiresAt));
    }

    @Override
    public void putRecord(RecordKind kind, String key, String json, long expiresAt) {
        guarded(() -> {
            records.put(kind, key, json, expiresAt);
            return null;
        });
    }

    @Override
    public Optional<String> record(RecordKind kind, String key) {
        return guarded(() -> records.get(kind, key));
    }

    @Override
    public SortedMap<String, String> records(RecordKind kind) {
        return guarded(() -> records.all(kind));
    }

    @Override
    public Optional<String> takeRecord(RecordKind kind, String key) {
        return guarded(() -> records.take(kind, key));
    }


    @Override
    public AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        return guarded(() -> feed.add(listener));
    }

    @Override
    public void ping() {
        guarded(() -> connection.sync().ping());
    }

    /** Nothing is buffered on this side: every write returned after Redis applied it. */
    @Override
    public void flush() {
        guarded(() -> null);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            shutdown(feed, connection, client, resources);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "RedisStore[" + target + "]";
    }

    /** Runs {@code action} unless closed, and words Lettuce's failures; close waits for running actions. */
    private <T> T guarded(Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            return action.get();
        } catch (RedisException | CancellationException e) {
            throw failures.command(e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Records the layout version in an empty Redis and refuses one written by another layout, so an
     * incompatible upgrade fails at start-up rather than misreading records.
     */
    private static void checkLayout(RedisCommands<String, String> redis, RedisTarget target) {
        redis.setnx(RedisKeys.SCHEMA, RedisKeys.SCHEMA_VERSION);
        String stored = redis.get(RedisKeys.SCHEMA);
        if (stored != null && !stored.equals(RedisKeys.SCHEMA_VERSION)) {
            throw new StoreException(target + " holds Tributary data in key layout " + stored
                    + "; this version reads layout " + RedisKeys.SCHEMA_VERSION);
        }
    }

    private static void shutdown(RedisEventFeed feed, StatefulRedisConnection<String, String> connection,
                                 RedisClient client, ClientResources resources) {
        if (feed != null) {
            feed.close();
        }
        if (connection != null) {
            connection.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        // Wait for Lettuce's threads to end, so a closed store leaves nothing running.
        resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
