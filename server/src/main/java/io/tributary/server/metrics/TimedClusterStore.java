package io.tributary.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Times every call the node makes to its cluster store, whichever engine it is:
 * {@code tributary_store_query_seconds{operation}} (a histogram with fixed buckets, 100 ms among them, so
 * that an alert can take {@code histogram_quantile} over it) and {@code tributary_store_failures_total}.
 * Wraps the store once, where the node opens it, so nothing that uses the store has to know.
 */
final class TimedClusterStore implements ClusterStore {
    /** Bucket bounds: from a local map lookup to the store timeout; 100 ms is the alert's threshold. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5)};

    private final ClusterStore store;
    private final MeterRegistry registry;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> failures = new ConcurrentHashMap<>();

    TimedClusterStore(ClusterStore store, MeterRegistry registry) {
        this.store = store;
        this.registry = registry;
    }

    private <T> T timed(String operation, Supplier<T> call) {
        Timer.Sample sample = Timer.start(registry);
        try {
            return call.get();
        } catch (RuntimeException e) {
            failures.computeIfAbsent(operation, op -> Counter.builder("tributary.store.failures").tag("operation", op)
                    .description("Cluster store calls that failed (unavailable, timed out, refused)")
                    .register(registry)).increment();
            throw e;
        } finally {
            sample.stop(timers.computeIfAbsent(operation, op -> Timer.builder("tributary.store.query")
                    .tag("operation", op)
                    .description("Time of each cluster store call, by operation")
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry)));
        }
    }

    private void timedVoid(String operation, Runnable call) {
        timed(operation, () -> {
            call.run();
            return null;
        });
    }

    @Override
    public String engine() {
        return store.engine();
    }

    @Override
    public Optional<Broadcast> get(String app, String streamId) {
        return timed("get", () -> store.get(app, streamId));
    }

    @Override
    public boolean create(String app, Broadcast broadcast) {
        return timed("create", () -> store.create(app, broadcast));
    }

    @Override
    public Broadcast save(String app, Broadcast broadcast) {
        return timed("save", () -> store.save(app, broadcast));
    }

    @Override
    public Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        return timed("update", () -> store.update(app, streamId, change));
    }

    @Override
    public boolean delete(String app, String streamId) {
        return timed("delete", () -> store.delete(app, streamId));
    }

    @Override
    public List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        return timed("list", () -> store.list(app, offset, size, query));
    }

    @Override
    public long count(String app) {
        return timed("count", () -> store.count(app));
    }

    @Override
    public long countByStatus(String app, BroadcastStatus status) {
        return timed("countByStatus", () -> store.countByStatus(app, status));
    }

    @Override
    public Map<String, List<Broadcast>> all() {
        return timed("all", store::all);
    }

    @Override
    public Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        return timed("compareAndSet", () -> store.compareAndSet(app, replacement, expectedVersion));
    }

    @Override
    public boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        return timed("deleteIfVersion", () -> store.deleteIfVersion(app, streamId, expectedVersion));
    }

    @Override
    public List<AppBroadcast> broadcastingOn(String nodeId) {
        return timed("broadcastingOn", () -> store.broadcastingOn(nodeId));
    }

    @Override
    public void putNode(NodeRecord node) {
        timedVoid("putNode", () -> store.putNode(node));
    }

    @Override
    public Optional<NodeRecord> node(String nodeId) {
        return timed("node", () -> store.node(nodeId));
    }

    @Override
    public List<NodeRecord> nodes() {
        return timed("nodes", store::nodes);
    }

    @Override
    public Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now) {
        return timed("heartbeat", () -> store.heartbeat(nodeId, instance, load, now));
    }

    @Override
    public boolean markDead(String nodeId, long atHeartbeat) {
        return timed("markDead", () -> store.markDead(nodeId, atHeartbeat));
    }

    @Override
    public boolean removeNode(String nodeId) {
        return timed("removeNode", () -> store.removeNode(nodeId));
    }

    @Override
    public AppSettings appSettings(String app) {
        return timed("appSettings", () -> store.appSettings(app));
    }

    @Override
    public AppSettings putAppSettings(String app, AppSettings settings) {
        return timed("putAppSettings", () -> store.putAppSettings(app, settings));
    }

    @Override
    public boolean insertRecord(RecordKind kind, String key, String json, long expiresAt) {
        return timed("insertRecord", () -> store.insertRecord(kind, key, json, expiresAt));
    }

    @Override
    public void putRecord(RecordKind kind, String key, String json, long expiresAt) {
        timedVoid("putRecord", () -> store.putRecord(kind, key, json, expiresAt));
    }

    @Override
    public Optional<String> record(RecordKind kind, String key) {
        return timed("record", () -> store.record(kind, key));
    }

    @Override
    public SortedMap<String, String> records(RecordKind kind) {
        return timed("records", () -> store.records(kind));
    }

    @Override
    public Optional<String> takeRecord(RecordKind kind, String key) {
        return timed("takeRecord", () -> store.takeRecord(kind, key));
    }

    @Override
    public boolean deleteRecord(RecordKind kind, String key) {
        return timed("deleteRecord", () -> store.deleteRecord(kind, key));
    }

    @Override
    public void ping() {
        timedVoid("ping", store::ping);
    }

    /** Not a query: a subscription lives as long as the node. */
    @Override
    public AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        return store.subscribe(listener);
    }

    @Override
    public void flush() {
        timedVoid("flush", store::flush);
    }

    @Override
    public void close() {
        store.close();
    }
}
