package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.h2.mvstore.Cursor;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.MVStoreException;

/**
 * The single-node store: one H2 MVStore file, {@code <dataDir>/tributary.mv.db}, needing no
 * external service.
 *
 * <p>Layout: map {@code broadcasts} holds each record as its API JSON under the key
 * {@code app + "/" + streamId}, the stream path. Neither part may contain '/', and MVStore keeps
 * keys sorted, so one app's records are one contiguous key range starting at {@code app + "/"}:
 * listing and counting an app is a range scan, never a full scan. Map {@code settings} holds each
 * application's shared settings as JSON, map {@code records} the small records (users, one-time tokens)
 * under {@code kind + "/" + key} as {@code expiresAt + " " + json}, map {@code meta} the schema version. Node records live in
 * memory: the embedded engine serves one node, and nothing about membership outlives the process.
 * Events are delivered in-process on one thread of their own.
 *
 * <p>Durability: MVStore auto-commits about once a second; {@link #flush()} commits and forces
 * the file to disk, and {@link #close()} commits. A crash loses at most the last second of
 * unflushed writes, never the file: MVStore appends and switches to new chunks atomically.
 * Thread-safety: MVMap operations are lock-free and atomic; a read-write lock only keeps
 * operations from running into {@link #close()}.
 */
public final class EmbeddedStore implements ClusterStore {

    static final String SCHEMA_VERSION = "1";

    private static final char SEPARATOR = '/';

    private final Path file;
    private final MVStore store;
    private final MVMap<String, String> broadcasts;
    private final MVMap<String, String> settings;
    private final MVMap<String, String> records;
    private final LocalEvents events = new LocalEvents("tributary-store-events");
    private final LocalNodes nodes = new LocalNodes(events);
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    EmbeddedStore(Path file, MVStore store, MVMap<String, String> broadcasts, MVMap<String, String> settings,
                  MVMap<String, String> records) {
        this.file = file;
        this.store = store;
        this.broadcasts = broadcasts;
        this.settings = settings;
        this.records = records;
    }

    @Override
    public String engine() {
        return "embedded";
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir}. Fails with a {@link StoreException}
     * when another process has it open or the file is not a readable store.
     */
    public static EmbeddedStore open(Path dataDir) {
        return EmbeddedStoreFile.open(dataDir);
    }

    /** The MVStore file this store lives in. */
    public Path file() {
        return file;
    }

    @Override
    public Optional<Broadcast> get(String app, String streamId) {
        String key = key(app, streamId);
        return guarded(() -> Optional.ofNullable(broadcasts.get(key)).map(json -> decode(key, json)));
    }

    @Override
    public boolean create(String app, Broadcast broadcast) {
        String key = key(app, broadcast.getStreamId());
        Broadcast next = broadcast.copy();
        next.setVersion(1);
        String json = BroadcastCodec.encode(next);
        boolean created = guarded(() -> broadcasts.putIfAbsent(key, json) == null);
        if (created) {
            changed(app, next);
        }
        return created;
    }

    @Override
    public Broadcast save(String app, Broadcast broadcast) {
        String key = key(app, broadcast.getStreamId());
        Broadcast next = broadcast.copy();
        return guarded(() -> {
            while (true) {
                String old = broadcasts.get(key);
                next.setVersion(old == null ? 1 : decode(key, old).getVersion() + 1);
                String json = BroadcastCodec.encode(next);
                if (old == null ? broadcasts.putIfAbsent(key, json) == null : broadcasts.replace(key, old, json)) {
                    changed(app, next);
                    return next.copy();
                }
            }
        });
    }

    @Override
    public Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        String key = key(app, streamId);
        Objects.requireNonNull(change, "change");
        return guarded(() -> {
            while (true) {
                String old = broadcasts.get(key);
                if (old == null) {
                    return Optional.empty();
                }
                Broadcast current = decode(key, old);
                long version = current.getVersion();
                Broadcast next = changed(change.apply(current), streamId);
                next.setVersion(version + 1);
                if (broadcasts.replace(key, old, BroadcastCodec.encode(next))) {
                    changed(app, next);
                    return Optional.of(next);
                }
            }
        });
    }

    @Override
    public boolean delete(String app, String streamId) {
        String key = key(app, streamId);
        String old = guarded(() -> broadcasts.remove(key));
        if (old != null) {
            events.publish(new StoreEvent(StoreEvent.Type.BROADCAST_DELETED, app, streamId,
                    decode(key, old).getVersion()));
        }
        return old != null;
    }

    @Override
    public Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        String key = key(app, replacement.getStreamId());
        Broadcast next = replacement.copy();
        next.setVersion(expectedVersion + 1);
        String json = BroadcastCodec.encode(next);
        Optional<Broadcast> saved = guarded(() -> {
            String old = broadcasts.get(key);
            if (old == null || decode(key, old).getVersion() != expectedVersion
                    || !broadcasts.replace(key, old, json)) {
                return Optional.empty();
            }
            return Optional.of(next.copy());
        });
        saved.ifPresent(b -> changed(app, b));
        return saved;
    }

    @Override
    public boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        String key = key(app, streamId);
        boolean deleted = guarded(() -> {
            String old = broadcasts.get(key);
            return old != null && decode(key, old).getVersion() == expectedVersion && broadcasts.remove(key, old);
        });
        if (deleted) {
            events.publish(new StoreEvent(StoreEvent.Type.BROADCAST_DELETED, app, streamId, expectedVersion));
        }
        return deleted;
    }

    @Override
    public List<AppBroadcast> broadcastingOn(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        return guarded(() -> {
            List<AppBroadcast> found = new ArrayList<>();
            scan("", (key, json) -> {
                Broadcast b = decode(key, json);
                if (b.getStatus() == BroadcastStatus.BROADCASTING && nodeId.equals(b.getOriginNode())) {
                    found.add(new AppBroadcast(key.substring(0, key.indexOf(SEPARATOR)), b));
                }
            });
            return found;
        });
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
        String key = StreamIds.requireValid(app, "app name");
        return guarded(() -> {
            String json = settings.get(key);
            return json == null ? AppSettings.NONE : SettingsCodec.decode(json, "settings of " + app + " in " + file);
        });
    }

    @Override
    public AppSettings putAppSettings(String app, AppSettings value) {
        String key = StreamIds.requireValid(app, "app name");
        AppSettings saved = guarded(() -> {
            while (true) {
                String old = settings.get(key);
                long version = old == null ? 0 : SettingsCodec.decode(old, key).version();
                AppSettings next = value.withVersion(version + 1);
                String json = SettingsCodec.encode(next);
                if (old == null ? settings.putIfAbsent(key, json) == null : settings.replace(key, old, json)) {
                    return next;
                }
            }
        });
        events.publish(new StoreEvent(StoreEvent.Type.SETTINGS_CHANGED, app, null, saved.version()));
        return saved;
    }

    @Override
    public boolean insertRecord(RecordKind kind, String key, String json, long expiresAt) {
        String k = recordKey(kind, key);
        String value = recordValue(json, expiresAt);
        return guarded(() -> {
            while (true) {
                String old = records.putIfAbsent(k, value);
                if (old == null) {
                    return true;
                }
                if (liveRecord(old) != null) {
                    return false;
                }
                if (records.replace(k, old, value)) {
                    return true;
                }
                // The expired record changed under us: look again.
            }
        });
    }

    @Override
    public void putRecord(RecordKind kind, String key, String json, long expiresAt) {
        String k = recordKey(kind, key);
        String value = recordValue(json, expiresAt);
        guarded(() -> records.put(k, value));
    }

    @Override
    public Optional<String> record(RecordKind kind, String key) {
        String k = recordKey(kind, key);
        return guarded(() -> Optional.ofNullable(liveRecord(records.get(k))));
    }

    @Override
    public SortedMap<String, String> records(RecordKind kind) {
        String prefix = kind.id() + SEPARATOR;
        return guarded(() -> {
            SortedMap<String, String> found = new TreeMap<>();
            Cursor<String, String> cursor = records.cursor(prefix);
            while (cursor.hasNext()) {
                String key = cursor.next();
                if (!key.startsWith(prefix)) {
                    break;
                }
                String json = liveRecord(cursor.getValue());
                if (json != null) {
                    found.put(key.substring(prefix.length()), json);
                }
            }
            return found;
        });
    }

    @Override
    public Optional<String> takeRecord(RecordKind kind, String key) {
        String k = recordKey(kind, key);
        return guarded(() -> Optional.ofNullable(liveRecord(records.remove(k))));
    }


    @Override
    public AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        guarded(() -> null);
        return events.add(listener);
    }

    @Override
    public void ping() {
        guarded(() -> null);
    }

    @Override
    public List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        Objects.requireNonNull(query, "query");
        BroadcastPages.limit(offset, size);
        String prefix = prefix(app);
        return guarded(() -> {
            List<Broadcast> records = new ArrayList<>();
            scan(prefix, (key, json) -> records.add(decode(key, json)));
            return BroadcastPages.page(records.stream(), offset, size, query);
        });
    }

    @Override
    public long count(String app) {
        String prefix = prefix(app);
        return guarded(() -> {
            long[] count = {0};
            scan(prefix, (key, json) -> count[0]++);
            return count[0];
        });
    }

    @Override
    public long countByStatus(String app, BroadcastStatus status) {
        Objects.requireNonNull(status, "status");
        String prefix = prefix(app);
        return guarded(() -> {
            long[] count = {0};
            scan(prefix, (key, json) -> {
                if (decode(key, json).getStatus() == status) {
                    count[0]++;
                }
            });
            return count[0];
        });
    }

    @Override
    public Map<String, List<Broadcast>> all() {
        return guarded(() -> {
            Map<String, List<Broadcast>> byApp = new LinkedHashMap<>();
            scan("", (key, json) -> {
                String app = key.substring(0, key.indexOf(SEPARATOR));
                byApp.computeIfAbsent(app, a -> new ArrayList<>()).add(decode(key, json));
            });
            return byApp;
        });
    }

    @Override
    public void flush() {
        guarded(() -> {
            sync();
            return null;
        });
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            events.close();
            store.close();
        } catch (MVStoreException e) {
            throw failure("closing", e);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void sync() {
        store.commit();
        store.sync();
    }

    /** Runs {@code action} unless closed; close waits for running actions, so none sees a half-closed store. */
    private <T> T guarded(Supplier<T> action) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("store is closed");
            }
            return action.get();
        } catch (MVStoreException e) {
            throw failure("using", e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Visits the entries whose key starts with {@code prefix}, in key order, on one snapshot. */
    private void scan(String prefix, BiConsumer<String, String> visitor) {
        Cursor<String, String> cursor = broadcasts.cursor(prefix);
        while (cursor.hasNext()) {
            String key = cursor.next();
            if (!key.startsWith(prefix)) {
                return;
            }
            visitor.accept(key, cursor.getValue());
        }
    }

    private void changed(String app, Broadcast b) {
        events.publish(new StoreEvent(StoreEvent.Type.BROADCAST_CHANGED, app, b.getStreamId(), b.getVersion()));
    }

    private Broadcast decode(String key, String json) {
        return BroadcastCodec.decode(json, key + " in " + file);
    }

    private StoreException failure(String doing, MVStoreException e) {
        return new StoreException("failed " + doing + " store file " + file + ": " + e.getMessage(), e);
    }

    private static Broadcast changed(Broadcast next, String streamId) {
        if (next == null) {
            throw new IllegalArgumentException("update of " + streamId + " returned no broadcast");
        }
        if (!streamId.equals(next.getStreamId())) {
            throw new IllegalArgumentException(
                    "update of " + streamId + " must not change the stream id (to " + next.getStreamId() + ")");
        }
        return next.copy();
    }

    private static String recordKey(RecordKind kind, String key) {
        return kind.id() + SEPARATOR + Records.requireValidKey(kind, key);
    }

    private static String recordValue(String json, long expiresAt) {
        return Records.requireExpiry(expiresAt) + " " + Records.requireJson(json);
    }

    /** The JSON of a stored record value, or null when there is none or it expired. */
    private static String liveRecord(String value) {
        if (value == null) {
            return null;
        }
        int space = value.indexOf(' ');
        long expiresAt = Long.parseLong(value.substring(0, space));
        return Records.live(expiresAt, System.currentTimeMillis()) ? value.substring(space + 1) : null;
    }

    private static String key(String app, String streamId) {
        return prefix(app) + StreamIds.requireValid(streamId, "stream id");
    }

    private static String prefix(String app) {
        return StreamIds.requireValid(app, "app name") + SEPARATOR;
    }
}
