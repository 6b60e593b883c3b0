package io.tributary.cluster.directory;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.MembershipListener;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.AppBroadcast;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreUnavailableException;
import io.tributary.media.stream.StreamException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream directory: which node is the origin of every stream, kept in the cluster store and cached
 * here so that a lookup never waits on the store. The cache is fed by the claims and releases this node
 * makes, by other nodes' notifications, by the store's event feed and by a periodic full resync; every
 * update carries the record's version and an older one never overwrites a newer one.
 *
 * <p>Claiming a stream is a compare-and-set on its record, so two origins can never both own it (in peers
 * mode, where the compare-and-set is each node's own, two nodes may both win one for a moment; the store's
 * merge then picks one everywhere and announces it as {@code BROADCAST_REPLACED}, which this cache takes as it
 * is, and its listeners hear that the other node lost). A claim
 * on a stream whose origin is suspect, dead, or does not answer its health check within
 * {@code originCheckTimeout} succeeds at once: an encoder that reconnects elsewhere after its origin died
 * is not locked out until the dead threshold. Claims and releases run on the store executor.
 */
public final class StreamDirectory implements MembershipListener {
    private static final Logger log = LoggerFactory.getLogger(StreamDirectory.class);
    private static final int MAX_CLAIM_ATTEMPTS = 8;
    private static final long TOMBSTONE_MILLIS = 60_000;

    private final ClusterStore store;
    private final Membership membership;
    private final OriginProbe probe;
    private final Duration originCheckTimeout;
    private final Predicate<String> acceptUndefined;
    private final String selfAddress;
    private final Executor storeExecutor;
    private final LongSupplier wallClock;
    private final Map<String, DirectoryEntry> entries = new ConcurrentHashMap<>();
    private final Map<String, Long> tombstoneTimes = new ConcurrentHashMap<>();
    private volatile DirectoryAnnouncer announcer = DirectoryAnnouncer.NONE;
    private final List<java.util.function.Consumer<DirectoryEntry>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * @param acceptUndefined whether an app accepts publishes for streams nobody created
     * @param selfAddress the address this node advertises, recorded as the origin address of its streams
     */
    public StreamDirectory(ClusterStore store, Membership membership, OriginProbe probe, Duration originCheckTimeout,
                           Predicate<String> acceptUndefined, String selfAddress, Executor storeExecutor,
                           LongSupplier wallClock) {
        this.store = store;
        this.membership = membership;
        this.probe = probe;
        this.originCheckTimeout = originCheckTimeout;
        this.acceptUndefined = acceptUndefined;
        this.selfAddress = selfAddress;
        this.storeExecutor = storeExecutor;
        this.wallClock = wallClock;
    }

    public void setAnnouncer(DirectoryAnnouncer announcer) {
        this.announcer = announcer;
    }

    /** Hears every update the cache takes (the relay manager follows streams that move). Must not block. */
    public void addListener(java.util.function.Consumer<DirectoryEntry> listener) {
        listeners.add(listener);
    }

    private void changed(DirectoryEntry entry) {
        for (java.util.function.Consumer<DirectoryEntry> l : listeners) {
            try {
                l.accept(entry);
            } catch (RuntimeException e) {
                log.warn("directory listener failed on {}", entry.path(), e);
            }
        }
    }

    // --- the cached view -----------------------------------------------------------------------------

    /** Where a stream lives, from the cache; never waits on the store. */
    public Optional<DirectoryEntry> lookup(String app, String streamId) {
        DirectoryEntry e = entries.get(app + "/" + streamId);
        return e == null || e.deleted() ? Optional.empty() : Optional.of(e);
    }

    /** Every known stream (no tombstones), for the cluster APIs. */
    public List<DirectoryEntry> entries() {
        List<DirectoryEntry> all = new ArrayList<>();
        for (DirectoryEntry e : entries.values()) {
            if (!e.deleted()) {
                all.add(e);
            }
        }
        all.sort((a, b) -> a.path().compareTo(b.path()));
        return all;
    }

    /** Takes an update if it is newer than what the cache has; returns whether it did. */
    public boolean apply(DirectoryEntry update) {
        boolean[] taken = {false};
        entries.compute(update.path(), (k, current) -> {
            if (current == null || update.supersedes(current)) {
                taken[0] = true;
                return update;
            }
            return current;
        });
        if (taken[0] && update.deleted()) {
            tombstoneTimes.put(update.path(), wallClock.getAsLong());
        }
        if (taken[0]) {
            changed(update);
        }
        return taken[0];
    }

    /**
     * This node's own successful claim: the store just accepted it, so it replaces any tombstone (a record
     * re-created within the same millisecond as its deletion would otherwise look older).
     */
    private void applyOwn(DirectoryEntry entry) {
        entries.compute(entry.path(), (k, current) ->
                current == null || current.deleted() || entry.supersedes(current) ? entry : current);
        changed(entry);
    }

    /** Reads the whole directory from the store; newer cached versions (from notifications) are kept. */
    public void resync() {
        // What the cache held before reading: only those entries, if still untouched, can have vanished
        // from the store; an entry a notification adds while the store is read is not judged by it.
        Map<String, DirectoryEntry> before = new java.util.HashMap<>(entries);
        Map<String, List<Broadcast>> all = store.all();
        Map<String, Boolean> seen = new java.util.HashMap<>();
        for (Map.Entry<String, List<Broadcast>> app : all.entrySet()) {
            for (Broadcast b : app.getValue()) {
                DirectoryEntry e = DirectoryEntry.of(app.getKey(), b);
                apply(e);
                seen.put(e.path(), true);
            }
        }
        long now = wallClock.getAsLong();
        for (DirectoryEntry e : before.values()) {
            if (!e.deleted() && !seen.containsKey(e.path())) {
                DirectoryEntry gone = DirectoryEntry.deleted(e.app(), e.streamId(), e.version(), e.generation());
                entries.replace(e.path(), e, gone);
                if (entries.get(e.path()) == gone) {
                    tombstoneTimes.put(e.path(), now);
                }
            }
        }
        tombstoneTimes.entrySet().removeIf(t -> {
            if (now - t.getValue() > TOMBSTONE_MILLIS) {
                entries.computeIfPresent(t.getKey(), (k, e) -> e.deleted() ? null : e);
                return true;
            }
            return false;
        });
    }

    /** The store's feed: fetch changed records (off the feed's thread) and apply them. */
    public void onStoreEvent(StoreEvent event) {
        switch (event.type()) {
            case BROADCAST_CHANGED -> {
                DirectoryEntry cached = entries.get(event.app() + "/" + event.key());
                if (cached == null || cached.deleted() || cached.version() < event.version()) {
                    storeExecutor.execute(() -> refresh(event.app(), event.key()));
                }
            }
            // The event does not say which generation it deleted: the store says what is there now.
            case BROADCAST_DELETED -> storeExecutor.execute(() -> refresh(event.app(), event.key()));
            // Another node's copy won (peers mode): the store's record is the truth, newer-looking or not.
            case BROADCAST_REPLACED -> storeExecutor.execute(() -> replace(event.app(), event.key()));
            default -> {
            }
        }
    }

    private void refresh(String app, String streamId) {
        try {
            Optional<Broadcast> now = store.get(app, streamId);
            if (now.isPresent()) {
                apply(DirectoryEntry.of(app, now.get()));
            } else {
                DirectoryEntry cached = entries.get(app + "/" + streamId);
                if (cached != null && !cached.deleted()) {
                    apply(DirectoryEntry.deleted(app, streamId, cached.version(), cached.generation()));
                }
            }
        } catch (StoreUnavailableException e) {
            log.debug("could not refresh {}/{}: {}", app, streamId, e.getMessage());
        }
    }

    /**
     * Puts the store's current record of a stream in the cache whatever the cache holds: the store resolved a
     * conflict between nodes, and its winner may look older (an earlier claim) than what this node cached.
     */
    private void replace(String app, String streamId) {
        try {
            String path = app + "/" + streamId;
            Optional<Broadcast> now = store.get(app, streamId);
            DirectoryEntry entry;
            if (now.isPresent()) {
                entry = DirectoryEntry.of(app, now.get());
            } else {
                DirectoryEntry cached = entries.get(path);
                if (cached == null || cached.deleted()) {
                    return;
                }
                entry = DirectoryEntry.deleted(app, streamId, cached.version(), cached.generation());
                tombstoneTimes.put(path, wallClock.getAsLong());
            }
            if (!entry.equals(entries.put(path, entry))) {
                changed(entry);
            }
        } catch (StoreUnavailableException e) {
            log.debug("could not refresh {}/{}: {}", app, streamId, e.getMessage());
        }
    }

    // --- claims --------------------------------------------------------------------------------------

    /**
     * Makes this node the stream's origin: creates the record (for a stream nobody created, when the app
     * accepts those) or takes it over by compare-and-set. Runs on the store executor.
     *
     * @throws StreamException BUSY when a live origin has it, NOT_FOUND or FORBIDDEN by the broadcast's
     *     rules, UNAVAILABLE when the store cannot be reached
     */
    public Broadcast claim(String app, String streamId, ClaimRequest request) {
        if (membership.identityLost()) {
            throw new StreamException(StreamException.Reason.UNAVAILABLE, "This node's id is now held by another "
                    + "node; it takes no publishers until it is restarted with its own id.");
        }
        try {
            for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
                Optional<Broadcast> current = store.get(app, streamId);
                Broadcast saved = current.isEmpty() ? createLive(app, streamId, request)
                        : takeOver(app, current.get(), request);
                if (saved != null && !membership.selfId().equals(saved.getOriginNode())) {
                    saved = null; // another node's record replaced ours between writing and reading it: look again
                }
                if (saved != null) {
                    DirectoryEntry entry = DirectoryEntry.of(app, saved);
                    applyOwn(entry);
                    announcer.published(entry);
                    return saved;
                }
            }
            throw new StreamException(StreamException.Reason.UNAVAILABLE,
                    "Stream " + app + "/" + streamId + " changed too often while claiming it; try again.");
        } catch (StoreUnavailableException e) {
            throw unavailable(e);
        }
    }

    private Broadcast createLive(String app, String streamId, ClaimRequest request) {
        if (!acceptUndefined.test(app)) {
            throw new StreamException(StreamException.Reason.NOT_FOUND,
                    "No broadcast " + streamId + " was created, and undefined streams are not accepted.");
        }
        Broadcast b = new Broadcast(streamId);
        b.setZombi(true);
        b.setDate(wallClock.getAsLong());
        live(b, request);
        return store.create(app, b) ? store.get(app, streamId).orElse(null) : null;
    }

    private Broadcast takeOver(String app, Broadcast current, ClaimRequest request) {
        if (!current.isPublish()) {
            throw new StreamException(StreamException.Reason.FORBIDDEN,
                    "Publishing " + current.getStreamId() + " is disabled for this broadcast.");
        }
        String origin = current.getOriginNode();
        if (current.getStatus() == BroadcastStatus.BROADCASTING && origin != null && !origin.equals(membership.selfId())) {
            Optional<String> gone = originGone(origin);
            if (gone.isEmpty()) {
                throw new StreamException(StreamException.Reason.BUSY, "Stream " + app + "/" + current.getStreamId()
                        + " is already being published on node " + origin + ".");
            }
            log.info("taking over {}/{} from node {}: {}", app, current.getStreamId(), origin, gone.get());
        }
        Broadcast next = current.copy();
        live(next, request);
        return store.compareAndSet(app, next, current.getVersion()).orElse(null);
    }

    private void live(Broadcast b, ClaimRequest request) {
        long now = wallClock.getAsLong();
        b.setStatus(BroadcastStatus.BROADCASTING);
        b.setOriginNode(membership.selfId());
        b.setOriginAddress(selfAddress);
        b.setStartTime(now);
        b.setDuration(0);
        b.setUpdateTime(now);
        b.setPublishType(request.publishType());
        b.setIpAddr(request.publisherIp());
    }

    /**
     * Why an origin no longer serves, or empty if it does: it must be alive and answer its health check
     * within the timeout.
     */
    private Optional<String> originGone(String nodeId) {
        Optional<NodeState> state = membership.state(nodeId);
        if (state.isEmpty()) {
            return Optional.of("it is not a node of this cluster any more");
        }
        if (state.get() != NodeState.ALIVE) {
            return Optional.of("it is " + state.get().jsonValue());
        }
        Optional<NodeRecord> record = membership.record(nodeId);
        if (record.isEmpty() || !probe.answers(record.get(), originCheckTimeout)) {
            return Optional.of("it does not answer its health check within " + originCheckTimeout.toMillis() + " ms");
        }
        return Optional.empty();
    }

    /**
     * This node's publisher of the stream stopped: the record becomes finished (a zombi record goes),
     * unless another node has taken the stream over meanwhile. Runs on the store executor.
     *
     * @param finalFigures sets codecs, size and bitrate on the finished record
     */
    public void release(String app, String streamId, UnaryOperator<Broadcast> finalFigures) {
        try {
            for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
                Optional<Broadcast> current = store.get(app, streamId);
                if (current.isEmpty() || !membership.selfId().equals(current.get().getOriginNode())) {
                    return;
                }
                if (finish(app, current.get(), finalFigures, wallClock.getAsLong())) {
                    return;
                }
            }
            log.warn("could not release {}/{}: it changed too often", app, streamId);
        } catch (StoreUnavailableException e) {
            log.warn("could not release {}/{} while the cluster store is unavailable; it is released when the "
                    + "store returns", app, streamId);
        }
    }

    /** Releases a stream as its origin: finished and origin cleared, or deleted if nobody created it. */
    private boolean finish(String app, Broadcast current, UnaryOperator<Broadcast> finalFigures, long now) {
        if (current.isZombi()) {
            if (!store.deleteIfVersion(app, current.getStreamId(), current.getVersion())) {
                return false;
            }
            DirectoryEntry gone = DirectoryEntry.deleted(app, current.getStreamId(), current.getVersion() + 1,
                    current.getDate());
            apply(gone);
            announcer.unpublished(gone);
            return true;
        }
        Broadcast next = finalFigures.apply(current.copy());
        next.setStatus(BroadcastStatus.FINISHED);
        if (next.getStartTime() > 0 && now >= next.getStartTime()) {
            next.setDuration(now - next.getStartTime());
        }
        next.setOriginNode(null);
        next.setOriginAddress(null);
        next.setRtmpViewerCount(0);
        next.setHttpFlvViewerCount(0);
        next.setHlsViewerCount(0);
        next.setUpdateTime(now);
        Optional<Broadcast> saved = store.compareAndSet(app, next, current.getVersion());
        saved.ifPresent(b -> {
            DirectoryEntry entry = DirectoryEntry.of(app, b);
            apply(entry);
            announcer.unpublished(entry);
        });
        return saved.isPresent();
    }

    /**
     * Finishes a record that says it is broadcasting but names no origin (nobody can be publishing it), by
     * compare-and-set like every release; a zombi record goes.
     */
    public void releaseOrphan(String app, Broadcast record) {
        if (record.getStatus() == BroadcastStatus.BROADCASTING && record.getOriginNode() == null) {
            finish(app, record, UnaryOperator.identity(), record.getUpdateTime() > 0 ? record.getUpdateTime()
                    : wallClock.getAsLong());
        }
    }

    /**
     * Releases every stream a dead node was origin of. Membership calls this on exactly one survivor;
     * the compare-and-set on each record keeps it exactly-once even if two ever raced.
     */
    @Override
    public void nodeDeclaredDead(NodeRecord node) {
        storeExecutor.execute(() -> {
            try {
                List<AppBroadcast> streams = store.broadcastingOn(node.id());
                int released = 0;
                for (AppBroadcast ab : streams) {
                    Broadcast b = ab.broadcast();
                    if (finish(ab.app(), b, UnaryOperator.identity(), b.getUpdateTime() > 0 ? b.getUpdateTime()
                            : wallClock.getAsLong())) {
                        released++;
                    }
                }
                log.info("released {} stream(s) of dead node {}", released, node.id());
            } catch (StoreUnavailableException e) {
                log.warn("could not release the streams of dead node {}: {}", node.id(), e.getMessage());
            }
        });
    }

    @Override
    public void storeReconnected() {
        storeExecutor.execute(() -> {
            try {
                resync();
            } catch (StoreUnavailableException e) {
                log.debug("resync after reconnect failed: {}", e.getMessage());
            }
        });
    }

    /** Streams whose record names this node as origin, for reconciling with what is really live here. */
    public Collection<DirectoryEntry> claimedBySelf() {
        List<DirectoryEntry> mine = new ArrayList<>();
        for (DirectoryEntry e : entries.values()) {
            if (e.live() && membership.selfId().equals(e.originNode())) {
                mine.add(e);
            }
        }
        return mine;
    }

    private static StreamException unavailable(StoreUnavailableException e) {
        return new StreamException(StreamException.Reason.UNAVAILABLE,
                "The cluster store is unavailable (" + e.getMessage() + "); try again shortly.");
    }
}
