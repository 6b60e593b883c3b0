package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.function.Consumer;

/**
 * The state a cluster shares: broadcast records (the stream directory), node records (membership),
 * application settings and small records of other kinds (users, one-time tokens), plus a feed of
 * changes. Engines: {@code embedded} (one node, no service), Redis, MongoDB, and {@code peers} (no store: each
 * node's own copy, replicated over HTTP). One contract test suite runs against every engine; the peers engine
 * keeps its promises on one node, and what it cannot promise across nodes is listed in its test.
 *
 * <p>Besides the rules of {@link BroadcastStore}: an engine that cannot reach its service fails fast
 * (within its command timeout) with {@link StoreUnavailableException}; a write that fails that way may or
 * may not have happened, so callers read again rather than assume. Every write that happened announces
 * itself through {@link #subscribe}, and a write that did not (a refused create, a stale compare-and-set)
 * announces nothing. Atomic operations stay atomic across all nodes sharing the store. For engines backed
 * by a service, {@link #flush()} has nothing left to do: writes return once the service acknowledged
 * them, and their durability is the service's own configuration. The peers engine is the exception to
 * atomicity across nodes: its writes are atomic on the node that makes them, and nodes that race are
 * reconciled afterwards by a rule every node applies the same way ({@code store.peers.ReplicaOrder}).
 */
public interface ClusterStore extends BroadcastStore {

    /** "embedded", "redis", "mongodb" or "peers". */
    String engine();

    /**
     * Replaces a broadcast only if its stored version is still {@code expectedVersion}: the
     * compare-and-set every claim and release of a stream goes through. Returns the saved copy (version
     * {@code expectedVersion + 1}), or empty when the version moved on or the record is gone (stored
     * versions start at 1, so an expected version below 1 never matches and never creates).
     */
    Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion);

    /** Deletes a broadcast only if its version is still {@code expectedVersion}; returns whether it did. */
    boolean deleteIfVersion(String app, String streamId, long expectedVersion);

    /** Broadcasts with status broadcasting whose origin is {@code nodeId}, across all apps. */
    List<AppBroadcast> broadcastingOn(String nodeId);

    /** Inserts or replaces a node record (registration, or a restart taking over its own record). */
    void putNode(NodeRecord node);

    Optional<NodeRecord> node(String nodeId);

    List<NodeRecord> nodes();

    /**
     * Increments the node's heartbeat counter and stores its load, if the record still exists and still
     * belongs to {@code instance}; returns the updated record. Empty means the record was removed (an
     * operator, a store that lost its data; the node registers again) or taken over by another instance
     * (the node has lost its id and must not overwrite the record).
     */
    Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now);

    /**
     * Records that a survivor declared the node dead at heartbeat {@code atHeartbeat}. True for exactly
     * one caller, and only while the node's counter is still {@code atHeartbeat} and it was not already
     * marked at that counter: whoever gets true releases the dead node's streams.
     */
    boolean markDead(String nodeId, long atHeartbeat);

    /** Removes a node record (clean shutdown, or an operator removing a dead node). */
    boolean removeNode(String nodeId);

    /** The application's shared settings, {@link AppSettings#NONE} when never set. */
    AppSettings appSettings(String app);

    /** Stores the application's settings; the saved copy has the next version. */
    AppSettings putAppSettings(String app, AppSettings settings);

    /**
     * Inserts a record unless a live one exists under {@code kind} and {@code key}; true when it inserted.
     * Of racing inserts of one key on any nodes exactly one wins. {@code expiresAt} is epoch milliseconds
     * ({@link Records#NEVER} for never); an expired record reads as absent. Records are not announced
     * through {@link #subscribe}: callers read them when they need them.
     */
    boolean insertRecord(RecordKind kind, String key, String json, long expiresAt);

    /** Inserts or replaces a record. */
    void putRecord(RecordKind kind, String key, String json, long expiresAt);

    /** The record's JSON, empty when there is none or it expired. */
    Optional<String> record(RecordKind kind, String key);

    /** Every live record of a kind, key to JSON, sorted by key. */
    SortedMap<String, String> records(RecordKind kind);

    /**
     * Removes a record and returns it, atomically: of racing takes of one key on any nodes exactly one gets
     * it (a one-time token is used once). An expired record is removed and reads as absent.
     */
    Optional<String> takeRecord(RecordKind kind, String key);

    /** Removes a record; returns whether a live one was there. */
    default boolean deleteRecord(RecordKind kind, String key) {
        return takeRecord(kind, key).isPresent();
    }

    /**
     * Delivers store events to {@code listener} (on an engine thread, never the caller's) until the
     * returned handle is closed. Subscribing never fails because the service is away: the subscription
     * starts delivering once it is back.
     */
    AutoCloseable subscribe(Consumer<StoreEvent> listener);

    /** A cheap round trip; throws {@link StoreUnavailableException} when the store does not answer. */
    void ping();
}
