package io.tributary.cluster.relay;

import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.MembershipListener;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.rtmp.client.RtmpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls streams that live on other nodes, once per stream however many viewers this node has for it (the
 * seed's RelayManager, over RTMP on the origin's internal address, authenticated with a cluster token).
 * Pulled streams become local LiveStreams, are never claimed as origins, follow the stream when it moves,
 * and are released {@code releaseDelay} after their last viewer leaves.
 */
public final class RelayManager implements MembershipListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RelayManager.class);
    private static final long TICK_MILLIS = 250;

    private final StreamRegistry registry;
    private final StreamDirectory directory;
    private final Membership membership;
    private final RelayTokens tokens;
    private final RtmpClient client;
    private final RelaySettings settings;
    private final ScheduledExecutorService timer;
    private final List<String> staticOrigins;
    private final ConcurrentHashMap<StreamPath, RelaySession> sessions = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> ticker;
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /**
     * @param staticOrigins {@code host:rtmpPort} of origins to try when the directory has no entry for a
     *     stream (seed 001's cluster.origin.nodes); pulled as a plain player, without a cluster token
     */
    public RelayManager(StreamRegistry registry, StreamDirectory directory, Membership membership, RelayTokens tokens,
                        RtmpClient client, RelaySettings settings, ScheduledExecutorService timer,
                        List<String> staticOrigins) {
        this.registry = registry;
        this.directory = directory;
        this.membership = membership;
        this.tokens = tokens;
        this.client = client;
        this.settings = settings;
        this.timer = timer;
        this.staticOrigins = List.copyOf(staticOrigins);
        directory.addListener(this::onDirectoryChange);
        this.ticker = timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Whether a play for {@code path} could be served by a pull (a live origin elsewhere, or static origins). */
    public boolean canRelay(StreamPath path) {
        return resolve(path) != null;
    }

    /**
     * The local stream for {@code path}, pulled from its origin: an existing pull is shared, otherwise one
     * starts. Completes when the first media arrived; fails (NOT_FOUND, UNAVAILABLE) when it cannot.
     */
    public CompletableFuture<LiveStream> attach(StreamPath path) {
        while (true) {
            RelaySession session = sessions.computeIfAbsent(path, p -> new RelaySession(p, this));
            if (!session.closed()) {
                session.start();
                return session.ready();
            }
            sessions.remove(path, session);
        }
    }

    /** Every pull this node makes, and every stream other nodes pull from it. */
    public List<RelayView> views() {
        List<RelayView> all = new ArrayList<>();
        sessions.values().forEach(s -> all.add(s.view()));
        for (LiveStream s : registry.streams()) {
            int relays = s.subscriberCount() - s.totalViewers();
            if (relays > 0 && s.publisher() != null && !"relay".equals(s.publisher().protocol())) {
                all.add(new RelayView(s.path().toString(), "serve", membership.selfId(), null, "live", relays, 0, 0,
                        s.createdAtMillis()));
            }
        }
        all.sort((a, b) -> (a.streamPath() + a.direction()).compareTo(b.streamPath() + b.direction()));
        return all;
    }

    /** Pulls this node makes (for the status API). */
    public int pullCount() {
        return sessions.size();
    }

    /** Pull attempts this node has started (first tries, retries and moves to a new origin), for metrics. */
    public long pullAttempts() {
        return attempts.sum();
    }

    /** Pull attempts that failed (refused, unreachable, no media in time), for metrics. */
    public long pullFailures() {
        return failures.sum();
    }

    void attemptStarted() {
        attempts.increment();
    }

    void attemptFailed() {
        failures.increment();
    }

    /**
     * Where to pull {@code path} from: its origin per the directory when that origin is another node this
     * node still considers a member, else the first static origin, else nowhere.
     */
    RelayTarget resolve(StreamPath path) {
        Optional<DirectoryEntry> entry = directory.lookup(path.app(), path.streamId()).filter(DirectoryEntry::live);
        if (entry.isPresent()) {
            String origin = entry.get().originNode();
            if (origin.equals(membership.selfId())) {
                return null;
            }
            Optional<NodeRecord> node = membership.record(origin);
            if (node.isPresent() && membership.state(origin).map(s -> s != NodeState.DEAD).orElse(false)) {
                return new RelayTarget(origin, node.get().internal(), node.get().rtmpPort(), true);
            }
            return null;
        }
        if (!staticOrigins.isEmpty()) {
            String hostPort = staticOrigins.get(0);
            int colon = hostPort.lastIndexOf(':');
            return new RelayTarget("static:" + hostPort, hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)), false);
        }
        return null;
    }

    /** Whether a cluster node looks alive enough to try right away. */
    boolean serving(RelayTarget t) {
        return membership.state(t.nodeId()).map(s -> s == NodeState.ALIVE).orElse(false);
    }

    String tokenFor(RelayTarget t, StreamPath path) {
        return tokens.tokenFor(t.nodeId(), path);
    }

    /** A dead origin's pulls are cleaned up at once (the seed's relay cleanup on offline). */
    @Override
    public void nodeStateChanged(NodeRecord node, NodeState from, NodeState to) {
        if (to == NodeState.DEAD) {
            for (RelaySession s : sessions.values()) {
                timer.execute(() -> s.nodeDead(node.id()));
            }
        }
    }

    private void onDirectoryChange(DirectoryEntry e) {
        RelaySession s = sessions.get(new StreamPath(e.app(), e.streamId()));
        if (s != null) {
            timer.execute(s::originChanged);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        for (RelaySession s : sessions.values()) {
            try {
                s.tick(now);
            } catch (RuntimeException e) {
                log.warn("relay {} check failed", s.path(), e);
            }
        }
    }

    void removed(RelaySession s) {
        sessions.remove(s.path(), s);
    }

    StreamRegistry registry() {
        return registry;
    }

    RtmpClient client() {
        return client;
    }

    RelaySettings settings() {
        return settings;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    @Override
    public void close() {
        ticker.cancel(false);
        for (RelaySession s : new ArrayList<>(sessions.values())) {
            s.close("the node is stopping");
        }
    }
}
