package io.tributary.cluster.store.peers;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.store.EmbeddedStore;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.Records;
import io.tributary.cluster.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One node's copy of the replicated broadcast records, by stream path, tombstones included, kept in memory
 * and in the node's local file. It applies the generation rule to local writes and {@link ReplicaOrder} to
 * other nodes' copies. Callers that read and then write hold its lock ({@code synchronized (replicas)}).
 */
final class Replicas {
    private final EmbeddedStore file;
    private final LongSupplier wallClock;
    private final Duration tombstoneTtl;
    private final Map<String, Replica> byPath = new TreeMap<>();

    Replicas(EmbeddedStore file, LongSupplier wallClock, Duration tombstoneTtl) {
        this.file = file;
        this.wallClock = wallClock;
        this.tombstoneTtl = tombstoneTtl;
        for (String json : file.records(RecordKind.PEER_REPLICA).values()) {
            Replica r = decode(json);
            byPath.put(r.path(), r);
        }
    }

    /** Takes another node's copy if it ranks above this one's; an expired deletion is never taken. */
    synchronized boolean merge(Replica remote) {
        if (remote.deleted() && expired(remote)) {
            return false;
        }
        if (!ReplicaOrder.supersedes(remote, current(remote.path()))) {
            return false;
        }
        keep(remote);
        return true;
    }

    /** Every record, deletions still remembered included, sorted by stream path. */
    synchronized List<Replica> all() {
        List<Replica> all = new ArrayList<>();
        for (String path : new ArrayList<>(byPath.keySet())) {
            Replica r = current(path);
            if (r != null) {
                all.add(r);
            }
        }
        return all;
    }

    /** The replica of a path, a tombstone included until it expires; null when none. */
    synchronized Replica current(String path) {
        Replica r = byPath.get(path);
        if (r != null && r.deleted() && expired(r)) {
            byPath.remove(path);
            return null;
        }
        return r;
    }

    /** The record of a path, null when there is none or it was deleted. */
    synchronized Replica live(String path) {
        Replica r = current(path);
        return r == null || r.deleted() ? null : r;
    }

    /**
     * Writes {@code next} over {@code current} (null or a tombstone when new): the generation moves on when
     * the write changes who owns the stream (see {@link Replica}). The caller holds the lock since it read
     * {@code current}.
     */
    synchronized Replica write(String app, Broadcast next, Replica current) {
        long generation;
        if (current == null) {
            generation = 1;
        } else if (current.deleted() || ownerChanged(current.broadcast(), next)) {
            generation = current.generation() + 1;
        } else {
            generation = current.generation();
        }
        Replica r = Replica.of(app, next, generation);
        keep(r);
        return r;
    }

    /** Deletes {@code current}: a tombstone one generation on, stamped now. */
    synchronized Replica remove(Replica current) {
        Replica r = Replica.tombstone(current.app(), current.streamId(), current.generation() + 1,
                wallClock.getAsLong());
        keep(r);
        return r;
    }

    private static boolean ownerChanged(Broadcast before, Broadcast after) {
        String was = owner(before);
        String is = owner(after);
        return !Objects.equals(was, is) || is != null && before.getStartTime() != after.getStartTime();
    }

    private static String owner(Broadcast b) {
        return b.getStatus() == BroadcastStatus.BROADCASTING ? b.getOriginNode() : null;
    }

    /** Stores a replica in memory and in the local file. */
    private void keep(Replica r) {
        byPath.put(r.path(), r);
        file.putRecord(RecordKind.PEER_REPLICA, r.path(), encode(r),
                r.deleted() ? r.deletedAt() + tombstoneTtl.toMillis() : Records.NEVER);
    }

    private boolean expired(Replica tombstone) {
        return wallClock.getAsLong() - tombstone.deletedAt() > tombstoneTtl.toMillis();
    }

    private static String encode(Replica r) {
        try {
            return Json.mapper().writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write replica " + r.path(), e);
        }
    }

    private static Replica decode(String json) {
        try {
            return Json.mapper().readValue(json, Replica.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a replicated broadcast in the local file is not readable: "
                    + e.getOriginalMessage(), e);
        }
    }

}
