package io.tributary.cluster.membership;

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
import io.tributary.cluster.store.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A cluster store in front of a real one (usually an {@code EmbeddedStore}) that a test can switch "down":
 * every call then fails with {@link StoreUnavailableException}, as a Redis or MongoDB engine does when its
 * service is gone, a fault the embedded engine cannot have. It can also hold a heartbeat half-way (to race
 * it against other calls) and run a hook while {@link #all()} reads, to land a change during a resync.
 * Closing it leaves the real store open.
 */
public final class FaultyStore implements ClusterStore {

    /** Runs between two steps of a store call. */
    @FunctionalInterface
    public interface Hook {
        void run() throws InterruptedException;
    }

    private final ClusterStore real;
    private volatile boolean down;
    private volatile Hook beforeHeartbeat = () -> { };
    private volatile Runnable afterAll = () -> { };
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong lastHeartbeatNanos = new AtomicLong();
    private final List<NodeRecord> puts = new CopyOnWriteArrayList<>();

    public FaultyStore(ClusterStore real) {
        this.real = real;
    }

    /** From now on every call fails (true) or goes through again (false). */
    public void down(boolean down) {
        this.down = down;
    }

    /** Calls refused while down. */
    public int refusedCalls() {
        return refused.get();
    }

    /** System.nanoTime() right after the latest heartbeat the real store accepted. */
    public long lastHeartbeatNanos() {
        return lastHeartbeatNanos.get();
    }

    /** Every node record written through this store with {@link #putNode}, in order. */
    public List<NodeRecord> puts() {
        return List.copyOf(puts);
    }

    /** Runs {@code hook} at the start of every heartbeat, before it reaches the real store. */
    public void beforeHeartbeat(Hook hook) {
        this.beforeHeartbeat = hook;
    }

    /** Runs {@code hook} once {@link #all()} has read the real store, before it returns. */
    public void afterAll(Runnable hook) {
        this.afterAll = hook;
    }

    private void check() {
        if (down) {
            refused.incrementAndGet();
            throw new StoreUnavailableException("test store is down", null);
        }
    }

    @Override
    public String engine() {
        return "faulty-" + real.engine();
    }

    @Override
    public Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        check();
        return real.compareAndSet(app, replacement, expectedVersion);
    }

    @Override
    public boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        check();
        return real.deleteIfVersion(app, streamId, expectedVersion);
    }

    @Override
    public List<AppBroadcast> broadcastingOn(String nodeId) {
        check();
        return real.broadcastingOn(nodeId);
    }

    @Override
    public void putNode(NodeRecord node) {
        check();
        real.putNode(node);
        puts.add(node);
    }

    @Override
    public Optional<NodeRecord> node(String nodeId) {
        check();
        return real.node(nodeId);
    }

    @Override
    public List<NodeRecord> nodes() {
        check();
        return real.nodes();
    }

    @Override
    public Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now) {
        check();
        try {
            beforeHeartbeat.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        check();
        Optional<NodeRecord> updated = real.heartbeat(nodeId, instance, load, now);
        if (updated.isPresent()) {
            lastHeartbeatNanos.set(System.nanoTime());
        }
        return updated;
    }

    @Override
    public boolean markDead(String nodeId, long atHeartbeat) {
        check();
        return real.markDead(nodeId, atHeartbeat);
    }

    @Override
    public boolean removeNode(String nodeId) {
        check();
        return real.removeNode(nodeId);
    }

    @Override
    public AppSettings appSettings(String app) {
        check();
        return real.appSettings(app);
    }

    @Override
    public AppSettings putAppSettings(String app, AppSettings settings) {
        check();
        return real.putAppSettings(app, settings);
    }

    @Override
    public boolean insertRecord(RecordKind kind, String key, String json, long expiresAt) {
        check();
        return real.insertRecord(kind, key, json, expiresAt);
    }

    @Override
    public void putRecord(RecordKind kind, String key, String json, long expiresAt) {
        check();
        real.putRecord(kind, key, json, expiresAt);
    }

    @Override
    public Optional<String> record(RecordKind kind, String key) {
        check();
        return real.record(kind, key);
    }

    @Override
    public SortedMap<String, String> records(RecordKind kind) {
        check();
        return real.records(kind);
    }

    @Override
    public Optional<String> takeRecord(RecordKind kind, String key) {
        check();
        return real.takeRecord(kind, key);
    }


    @Override
    public AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        check();
        return real.subscribe(listener);
    }

    @Override
    public void ping() {
        check();
        real.ping();
    }

    @Override
    public Optional<Broadcast> get(String app, String streamId) {
        check();
        return real.get(app, streamId);
    }

    @Override
    public boolean create(String app, Broadcast broadcast) {
        check();
        return real.create(app, broadcast);
    }

    @Override
    public Broadcast save(String app, Broadcast broadcast) {
        check();
        return real.save(app, broadcast);
    }

    @Override
    public Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        check();
        return real.update(app, streamId, change);
    }

    @Override
    public boolean delete(String app, String streamId) {
        check();
        return real.delete(app, streamId);
    }

    @Override
    public List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        check();
        return real.list(app, offset, size, query);
    }

    @Override
    public long count(String app) {
        check();
        return real.count(app);
    }

    @Override
    public long countByStatus(String app, BroadcastStatus status) {
        check();
        return real.countByStatus(app, status);
    }

    @Override
    public Map<String, List<Broadcast>> all() {
        check();
        Map<String, List<Broadcast>> all = real.all();
        afterAll.run();
        return all;
    }

    @Override
    public void flush() {
        check();
        real.flush();
    }

    /** Leaves the real store open: the test owns it. */
    @Override
    public void close() {
    }
}
