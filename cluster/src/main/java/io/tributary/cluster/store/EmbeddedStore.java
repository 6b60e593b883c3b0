package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.StreamIds;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BiConsumer;
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
 * listing and counting an app is a range scan, never a full scan. Map {@code node} holds this
 * node's identity, map {@code meta} the schema version.
 *
 * <p>Durability: MVStore auto-commits about once a second; {@link #flush()} commits and forces
 * the file to disk, and {@link #close()} commits. A crash loses at most the last second of
 * unflushed writes, never the file: MVStore appends and switches to new chunks atomically.
 * Thread-safety: MVMap operations are lock-free and atomic; a read-write lock only keeps
 * operations from running into {@link #close()}.
 */
public final class EmbeddedStore implements BroadcastStore, NodeFiles {

    static final String SCHEMA_VERSION = "1";

    private static final String NODE_ID = "id";
    private static final char SEPARATOR = '/';

    private final Path file;
    private final MVStore store;
    private final MVMap<String, String> broadcasts;
    private final MVMap<String, String> node;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    EmbeddedStore(Path file, MVStore store, MVMap<String, String> broadcasts, MVMap<String, String> node) {
        this.file = file;
        this.store = store;
        this.broadcasts = broadcasts;
        this.node = node;
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
        return guarded(() -> broadcasts.putIfAbsent(key, json) == null);
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
                    return Optional.of(next);
                }
            }
        });
    }

    @Override
    public boolean delete(String app, String streamId) {
        String key = key(app, streamId);
        return guarded(() -> broadcasts.remove(key) != null);
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
    public Optional<String> readNodeId() {
        return guarded(() -> Optional.ofNullable(node.get(NODE_ID)));
    }

    @Override
    public void writeNodeId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("node id must not be blank");
        }
        guarded(() -> {
            node.put(NODE_ID, id);
            sync();
            return null;
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

    private static String key(String app, String streamId) {
        return prefix(app) + StreamIds.requireValid(streamId, "stream id");
    }

    private static String prefix(String app) {
        return StreamIds.requireValid(app, "app name") + SEPARATOR;
    }
}
