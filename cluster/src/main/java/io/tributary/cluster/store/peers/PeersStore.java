package io.tributary.cluster.store.peers;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.store.AppBroadcast;
import io.tributary.cluster.store.BroadcastPages;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.EmbeddedStore;
import io.tributary.cluster.store.LocalEvents;
import io.tributary.cluster.store.LocalNodes;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.StoreEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;

/**
 * The store of peers mode, where there is no store: each node holds its own copy of the cluster's state and
 * the nodes keep their copies in step over HTTP ({@code io.tributary.cluster.peers.PeerSync}).
 *
 * <p><b>Broadcast records</b> are replicated: every write here is a local one (it succeeds or fails at once,
 * on this node's copy) and is handed to {@link #onLocalWrite} listeners, which send it to the other nodes;
 * their writes arrive through {@link #merge}, which keeps whichever copy {@link ReplicaOrder} ranks higher.
 * Compare-and-set is atomic on this node only: two nodes may both succeed in claiming one stream, and the
 * merge then picks the same winner on every node (the earlier claim, then the lower node id). A merged
 * change is announced as {@link StoreEvent.Type#BROADCAST_REPLACED}, so caches take it as it is even when
 * its version is not higher than theirs. Records, tombstones included, are kept in the node's local file.
 *
 * <p><b>Node records</b> are this node's view: its own record (written by its membership) and the peers it
 * has heard of. A peer's heartbeat counter here is this node's own count of direct contacts with it (an
 * answer to a heartbeat sent to it, or a heartbeat received from it), so that membership, watching the
 * counter on this node's monotonic clock, judges each peer by the heartbeats this node missed. Nodes heard
 * of only through another node's list are added with no contact yet.
 *
 * <p><b>Application settings and small records</b> (users, tokens) are this node's own, in an embedded store
 * file in the data directory: they are not shared between nodes (a limit of peers mode, documented).
 */
public final class PeersStore implements ClusterStore {
    /** How long a deletion is remembered, so that an older copy of the record cannot bring it back. */
    public static final Duration TOMBSTONE_TTL = Duration.ofMinutes(10);

    private final EmbeddedStore local;
    private final Replicas replicas;
    private final LocalEvents events = new LocalEvents("tributary-peers-events");
    private final LocalNodes nodes = new LocalNodes(events);
    private final List<Consumer<Replica>> localWrites = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    PeersStore(EmbeddedStore local, LongSupplier wallClock) {
        this.local = local;
        this.replicas = new Replicas(local, wallClock, TOMBSTONE_TTL);
    }

    /** Opens (creating if needed) the node's local file in {@code dataDir}. */
    public static PeersStore open(Path dataDir) {
        return new PeersStore(EmbeddedStore.open(dataDir), System::currentTimeMillis);
    }

    /** For tests: a store on {@code dataDir} whose deletions are stamped by {@code wallClock}. */
    public static PeersStore open(Path dataDir, LongSupplier wallClock) {
        return new PeersStore(EmbeddedStore.open(dataDir), wallClock);
    }

    @Override
    public String engine() {
        return "peers";
    }

    // --- replication ---------------------------------------------------------------------------------

    /** Hears every broadcast write made on this node, after it is made (to send it to the other nodes). */
    public AutoCloseable onLocalWrite(Consumer<Replica> listener) {
        localWrites.add(listener);
        return () -> localWrites.remove(listener);
    }

    /**
     * Takes another node's copy of a record if it ranks above this node's ({@link ReplicaOrder}); returns
     * whether it did. A deletion older than {@link #TOMBSTONE_TTL} is not taken.
     */
    public boolean merge(Replica remote) {
        StreamIds.requireValid(remote.app(), "app name");
        StreamIds.requireValid(remote.streamId(), "stream id");
        open();
        if (!replicas.merge(remote)) {
            return false;
        }
        events.publish(new StoreEvent(StoreEvent.Type.BROADCAST_REPLACED, remote.app(), remote.streamId(),
                remote.version()));
        return true;
    }

    /** Every record this node holds, deletions still remembered included, sorted by stream path. */
    public List<Replica> replicas() {
        open();
        return replicas.all();
    }

    // --- broadcasts ----------------------------------------------------------------------------------

    @Override
    public Optional<Broadcast> get(String app, String streamId) {
        open();
        Replica r = replicas.live(path(app, streamId));
        return r == null ? Optional.empty() : Optional.of(r.copyOfBroadcast());
    }

    @Override
    public boolean create(String app, Broadcast broadcast) {
        String path = path(app, broadcast.getStreamId());
        Replica written;
        synchronized (replicas) {
            Replica current = replicas.current(path);
            if (current != null && !current.deleted()) {
                return false;
            }
            Broadcast next = broadcast.copy();
            next.setVersion(1);
            written = replicas.write(app, next, current);
        }
        announce(written);
        return true;
    }

    @Override
    public Broadcast save(String app, Broadcast broadcast) {
        String path = path(app, broadcast.getStreamId());
        Replica written;
        synchronized (replicas) {
            Replica current = replicas.current(path);
            Broadcast next = broadcast.copy();
            next.setVersion(current == null || current.deleted() ? 1 : current.version() + 1);
            written = replicas.write(app, next, current);
        }
        announce(written);
        return written.copyOfBroadcast();
    }

    @Override
    public Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        Objects.requireNonNull(change, "change");
        String path = path(app, streamId);
        Replica written;
        synchronized (replicas) {
            Replica current = replicas.live(path);
            if (current == null) {
                return Optional.empty();
            }
            Broadcast next = change.apply(current.copyOfBroadcast());
            if (next == null || !streamId.equals(next.getStreamId())) {
                throw new IllegalArgumentException("update of " + streamId + " must return a record with the same "
                        + "stream id");
            }
            next = next.copy();
            next.setVersion(current.version() + 1);
            written = replicas.write(app, next, current);
        }
        announce(written);
        return Optional.of(written.copyOfBroadcast());
    }

    @Override
    public boolean delete(String app, String streamId) {
        Replica written;
        synchronized (replicas) {
            Replica current = replicas.live(path(app, streamId));
            if (current == null) {
                return false;
            }
            written = replicas.remove(current);
        }
        announce(written);
        return true;
    }

    @Override
    public Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        String path = path(app, replacement.getStreamId());
        Replica written;
        synchronized (replicas) {
            Replica current = replicas.live(path);
            if (current == null || current.version() != expectedVersion) {
                return Optional.empty();
            }
            Broadcast next = replacement.copy();
            next.setVersion(expectedVersion + 1);
            written = replicas.write(app, next, current);
        }
        announce(written);
        return Optional.of(written.copyOfBroadcast());
    }

    @Override
    public boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        Replica written;
        synchronized (replicas) {
            Replica current = replicas.live(path(app, streamId));
            if (current == null || current.version() != expectedVersion) {
                return false;
            }
            written = replicas.remove(current);
        }
        announce(written);
        return true;
    }

    @Override
    public List<AppBroadcast> broadcastingOn(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        List<AppBroadcast> found = new ArrayList<>();
        for (Replica r : replicas()) {
            if (nodeId.equals(r.liveOwner())) {
                found.add(new AppBroadcast(r.app(), r.copyOfBroadcast()));
            }
        }
        return found;
    }

    @Override
    public List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        Objects.requireNonNull(query, "query");
        BroadcastPages.limit(offset, size);
        return BroadcastPages.page(ofApp(app).stream(), offset, size, query);
    }

    @Override
    public long count(String app) {
        return ofApp(app).size();
    }

    @Override
    public long countByStatus(String app, BroadcastStatus status) {
        Objects.requireNonNull(status, "status");
        return ofApp(app).stream().filter(b -> b.getStatus() == status).count();
    }

    @Override
    public Map<String, List<Broadcast>> all() {
        Map<String, List<Broadcast>> byApp = new LinkedHashMap<>();
        for (Replica r : replicas()) {
            if (!r.deleted()) {
                byApp.computeIfAbsent(r.app(), a -> new ArrayList<>()).add(r.copyOfBroadcast());
            }
        }
        return byApp;
    }

    private List<Broadcast> ofApp(String app) {
        StreamIds.requireValid(app, "app name");
        List<Broadcast> found = new ArrayList<>();
        for (Replica r : replicas()) {
            if (!r.deleted() && r.app().equals(app)) {
                found.add(r.copyOfBroadcast());
            }
        }
        return found;
    }

    /** After a local write: event for this node's listeners, then the replica for the other nodes. */
    private void announce(Replica r) {
        events.publish(new StoreEvent(r.deleted() ? StoreEvent.Type.BROADCAST_DELETED
                : StoreEvent.Type.BROADCAST_CHANGED, r.app(), r.streamId(), r.deleted() ? r.generation() : r.version()));
        for (Consumer<Replica> l : localWrites) {
            l.accept(r);
        }
    }

    private static String path(String app, String streamId) {
        return StreamIds.requireValid(app, "app name") + "/" + StreamIds.requireValid(streamId, "stream id");
    }

    // --- nodes ---------------------------------------------------------------------------------------

    @Override
    public void putNode(NodeRecord node) {
        open();
        nodes.put(node);
    }

    @Override
    public Optional<NodeRecord> node(String nodeId) {
        open();
        return nodes.get(nodeId);
    }

    @Override
    public List<NodeRecord> nodes() {
        open();
        return nodes.all();
    }

    @Override
    public Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now) {
        open();
        return nodes.heartbeat(nodeId, instance, load, now);
    }

    /**
     * This node heard from a peer directly (its answer to a heartbeat, or its own heartbeat): the record
     * takes what the peer says about itself, and its counter here moves on by one, which is what membership
     * watches. Returns the record as stored.
     */
    public NodeRecord contact(NodeRecord peer) {
        open();
        return nodes.change(peer.id(), (id, known) -> new NodeRecord(id, peer.instance(), peer.advertise(),
                peer.internal(), peer.rtmpPort(), peer.httpPort(), peer.roles(), peer.version(),
                known == null ? 1 : known.heartbeat() + 1, known == null ? -1 : known.deadAtHeartbeat(), peer.load(),
                peer.registeredAt(), peer.updatedAt()));
    }

    /**
     * A node named by another node: added, with no contact yet, when this node did not know it; a known node
     * is left as it is (what this node hears from it directly is fresher). Returns whether it was added.
     */
    public boolean learn(NodeRecord peer) {
        open();
        boolean[] added = {false};
        nodes.change(peer.id(), (id, known) -> {
            if (known != null) {
                return known;
            }
            added[0] = true;
            return new NodeRecord(id, peer.instance(), peer.advertise(), peer.internal(), peer.rtmpPort(),
                    peer.httpPort(), peer.roles(), peer.version(), 0, -1, peer.load(), peer.registeredAt(),
                    peer.updatedAt());
        });
        return added[0];
    }

    @Override
    public boolean markDead(String nodeId, long atHeartbeat) {
        open();
        return nodes.markDead(nodeId, atHeartbeat);
    }

    @Override
    public boolean removeNode(String nodeId) {
        open();
        return nodes.remove(nodeId);
    }

    // --- this node's own: settings and records ------------------------------------------------------

    @Override
    public AppSettings appSettings(String app) {
        return local.appSettings(app);
    }

    @Override
    public AppSettings putAppSettings(String app, AppSettings settings) {
        return local.putAppSettings(app, settings);
    }

    @Override
    public boolean insertRecord(RecordKind kind, String key, String json, long expiresAt) {
        return local.insertRecord(ownKind(kind), key, json, expiresAt);
    }

    @Override
    public void putRecord(RecordKind kind, String key, String json, long expiresAt) {
        local.putRecord(ownKind(kind), key, json, expiresAt);
    }

    @Override
    public Optional<String> record(RecordKind kind, String key) {
        return local.record(ownKind(kind), key);
    }

    @Override
    public SortedMap<String, String> records(RecordKind kind) {
        return local.records(ownKind(kind));
    }

    @Override
    public Optional<String> takeRecord(RecordKind kind, String key) {
        return local.takeRecord(ownKind(kind), key);
    }

    /** The replicas' own kind is this store's business: callers do not read or write it. */
    private static RecordKind ownKind(RecordKind kind) {
        if (kind == RecordKind.PEER_REPLICA) {
            throw new IllegalArgumentException("records of kind " + kind.id() + " belong to the peers store itself");
        }
        return kind;
    }

    // --- events and life cycle -----------------------------------------------------------------------

    @Override
    public AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        open();
        AutoCloseable own = events.add(listener);
        // The local file announces the settings written to it; its other events are not this store's.
        AutoCloseable settings = local.subscribe(e -> {
            if (e.type() == StoreEvent.Type.SETTINGS_CHANGED) {
                listener.accept(e);
            }
        });
        return () -> {
            own.close();
            settings.close();
        };
    }

    @Override
    public void ping() {
        local.ping();
    }

    @Override
    public void flush() {
        local.flush();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        events.close();
        local.close();
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("store is closed");
        }
    }
}
