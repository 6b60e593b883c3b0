package io.tributary.cluster.peers;

import io.tributary.cluster.Tasks;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.peers.PeersStore;
import io.tributary.cluster.store.peers.Replica;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane of peers mode (the Monibuca seed's SyncManager): keeps this node's {@link PeersStore} in
 * step with the other nodes over their {@code /cluster/api} endpoints.
 *
 * <ul>
 *   <li>Every heartbeat period it sends a heartbeat with its summary (addresses, roles, load) to every node it
 *       knows, dead ones included (so that one that returns is noticed), and to the seeds it has not met yet.
 *       An answer is a contact with that node and lists the nodes it knows, which this node adds to its own
 *       list; a heartbeat received is a contact too. Membership judges every peer by these contacts.</li>
 *   <li>Every broadcast record this node writes is sent at once to every live or suspect peer
 *       ({@code sessions/sync}); a peer's copy arriving here is merged.</li>
 *   <li>Every sync period, and at the first contact with a node (or with one back from dead), it reads that
 *       node's whole copy and merges it, and exchanges node lists with it: what a lost message missed is made
 *       up there.</li>
 *   <li>When a stream gains its first viewer here or loses its last, it tells the peers
 *       ({@code sessions/participation}).</li>
 *   <li>A clean stop says so in a last heartbeat, and the peers forget this node at once.</li>
 * </ul>
 */
public final class PeerSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeerSync.class);
    /** How long a stopping node waits for its goodbyes to be answered. */
    private static final Duration GOODBYE_WAIT = Duration.ofSeconds(1);

    /**
     * @param seeds control-plane addresses to join through
     * @param heartbeatPeriod how often every peer is sent a heartbeat
     * @param syncPeriod how often whole copies and node lists are exchanged
     */
    public record Settings(List<PeerAddress> seeds, Duration heartbeatPeriod, Duration syncPeriod) {
        public Settings {
            seeds = List.copyOf(seeds);
        }
    }

    private final PeersStore store;
    private final Membership membership;
    private final PeerTransport transport;
    private final Participations participations;
    private final Settings settings;
    private final ScheduledExecutorService timer;
    private final Supplier<Set<String>> watchedHere;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    private final Set<String> ownAddresses = ConcurrentHashMap.newKeySet();
    /** Seeds met, by the address they were given as: the node that answered there. */
    private final Map<String, String> seedIds = new ConcurrentHashMap<>();
    private final Set<String> reported = new HashSet<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private AutoCloseable writes;
    private volatile boolean closed;

    /**
     * @param watchedHere the stream paths that have viewers on this node now (for participation deltas)
     */
    public PeerSync(PeersStore store, Membership membership, PeerTransport transport, Participations participations,
                    Settings settings, ScheduledExecutorService timer, Supplier<Set<String>> watchedHere) {
        this.store = store;
        this.membership = membership;
        this.transport = transport;
        this.participations = participations;
        this.settings = settings;
        this.timer = timer;
        this.watchedHere = watchedHere;
    }

    /** Starts sending (membership has registered this node already): the first heartbeats go out at once. */
    public void start() {
        writes = store.onLocalWrite(this::push);
        long period = settings.heartbeatPeriod().toMillis();
        tasks.add(timer.scheduleAtFixedRate(guard(this::heartbeats), 0, period, TimeUnit.MILLISECONDS));
        long sync = settings.syncPeriod().toMillis();
        tasks.add(timer.scheduleWithFixedDelay(guard(this::syncAll), sync, sync, TimeUnit.MILLISECONDS));
        log.info("peers mode: node {} joins through {}", membership.selfId(),
                settings.seeds().isEmpty() ? "no seeds (it waits to be named by others)" : settings.seeds());
    }

    // --- outgoing --------------------------------------------------------------------------------------

    private void heartbeats() {
        reportParticipation();
        PeerSummary self = selfSummary(null);
        for (PeerTransport.Target t : targets()) {
            String key = t.address().toString();
            if (!inFlight.add(key)) {
                continue; // the last one to this peer is still waiting for its answer: that one is late already
            }
            transport.heartbeat(t, self).whenComplete((reply, error) -> {
                inFlight.remove(key);
                if (error != null) {
                    log.debug("heartbeat to {} ({}) got no answer: {}", t.nodeId(), key, error.toString());
                } else if (!closed) {
                    answered(t, reply);
                }
            });
        }
    }

    /** Every node this node knows but itself, and the seeds not met yet, each once by address. */
    private List<PeerTransport.Target> targets() {
        Map<String, PeerTransport.Target> byAddress = new LinkedHashMap<>();
        for (NodeRecord r : store.nodes()) {
            if (!r.id().equals(membership.selfId()) && r.httpPort() > 0) {
                PeerAddress a = new PeerAddress(r.internal(), r.httpPort());
                byAddress.put(a.toString(), new PeerTransport.Target(r.id(), a));
            }
        }
        for (PeerAddress seed : settings.seeds()) {
            String key = seed.toString();
            String met = seedIds.get(key);
            if (!ownAddresses.contains(key) && !key.equals(selfAddress())
                    && (met == null || store.node(met).isEmpty())) {
                byAddress.putIfAbsent(key, new PeerTransport.Target(null, seed));
            }
        }
        return new ArrayList<>(byAddress.values());
    }

    private void answered(PeerTransport.Target t, PeerTransport.HeartbeatReply reply) {
        // The seed's own answers name no responder: the node asked is the one that answered.
        String responder = reply.serverId() != null ? reply.serverId() : t.nodeId();
        if (membership.selfId().equals(responder)) {
            ownAddresses.add(t.address().toString()); // a seed that is this node under another name
            return;
        }
        if (t.nodeId() == null && responder != null) {
            seedIds.put(t.address().toString(), responder); // met: from now on it is heartbeated as that node
        }
        for (PeerSummary s : reply.summaries()) {
            if (!s.valid() || s.serverId().equals(membership.selfId())) {
                continue;
            }
            if (s.serverId().equals(responder)) {
                contact(s);
            } else if (learn(s)) {
                log.info("peers mode: learned of node {} ({}) from node {}", s.serverId(), s.address(), responder);
            }
        }
    }

    /** A contact with a peer; a first one (or one back from dead) is followed by reading its copy. */
    private void contact(PeerSummary s) {
        NodeState before = membership.state(s.serverId()).orElse(null);
        NodeRecord stored = store.contact(s.toRecord());
        if (stored.heartbeat() == 1 || before == NodeState.DEAD) {
            log.info("peers mode: in contact with node {} ({})", s.serverId(), s.address());
            timer.execute(guard(() -> syncWith(target(stored))));
        }
    }

    private void syncAll() {
        for (NodeRecord peer : membership.peers()) {
            syncWith(target(peer));
        }
    }

    /** Exchanges node lists with a peer and merges its copy of every record. */
    private void syncWith(PeerTransport.Target t) {
        transport.syncServers(t, summaries()).thenAccept(known -> known.forEach(this::learn))
                .exceptionally(e -> {
                    log.debug("servers/sync with {} failed: {}", t.nodeId(), e.toString());
                    return null;
                });
        transport.sessions(t).thenAccept(sessions -> {
            int merged = merge(sessions);
            if (merged > 0) {
                log.info("peers mode: took {} record(s) from node {}'s copy", merged, t.nodeId());
            }
        }).exceptionally(e -> {
            log.debug("reading the sessions of {} failed: {}", t.nodeId(), e.toString());
            return null;
        });
    }

    /** A record written here goes to every live or suspect peer at once. */
    private void push(Replica r) {
        if (closed) {
            return;
        }
        List<PeerSession> one = List.of(PeerSession.of(r));
        for (NodeRecord peer : membership.peers()) {
            PeerTransport.Target t = target(peer);
            transport.syncSessions(t, membership.selfId(), one).exceptionally(e -> {
                log.debug("sessions/sync of {} to {} failed (the next sync makes it up): {}", r.path(), t.nodeId(),
                        e.toString());
                return null;
            });
        }
    }

    /** Sends the subscribe/unsubscribe deltas of this node's viewers since the last round. */
    private void reportParticipation() {
        Set<String> now = watchedHere.get();
        List<Participation> deltas = new ArrayList<>();
        for (String path : now) {
            if (!reported.contains(path)) {
                deltas.add(new Participation(path, membership.selfId(), Participation.SUBSCRIBE));
            }
        }
        for (String path : reported) {
            if (!now.contains(path)) {
                deltas.add(new Participation(path, membership.selfId(), Participation.UNSUBSCRIBE));
            }
        }
        reported.clear();
        reported.addAll(now);
        for (Participation d : deltas) {
            participations.apply(d.streamPath(), d.nodeId(), d.subscribe());
            for (NodeRecord peer : membership.peers()) {
                transport.participation(target(peer), d).exceptionally(e -> null);
            }
        }
    }

    // --- incoming --------------------------------------------------------------------------------------

    /**
     * A heartbeat from another node: a contact (or its goodbye); answered with every node this node knows.
     */
    public PeerTransport.HeartbeatReply onHeartbeat(PeerSummary from) {
        if (!from.serverId().equals(membership.selfId()) && !closed) {
            if (PeerSummary.LEAVING.equals(from.status())) {
                if (store.removeNode(from.serverId())) {
                    participations.forget(from.serverId());
                    log.info("peers mode: node {} left the cluster", from.serverId());
                }
            } else {
                contact(from);
            }
        }
        return new PeerTransport.HeartbeatReply(membership.selfId(), summaries());
    }

    /** Another node's list of nodes: the ones this node did not know are added. Answered with this node's list. */
    public List<PeerSummary> onServers(List<PeerSummary> known) {
        known.forEach(this::learn);
        return summaries();
    }

    /**
     * A node another node named: added when this node did not know it, unless the other node judges it dead
     * (it is added when it makes contact itself). Returns whether it was added.
     */
    private boolean learn(PeerSummary s) {
        return s.valid() && !s.serverId().equals(membership.selfId())
                && !NodeState.DEAD.jsonValue().equals(s.status()) && store.learn(s.toRecord());
    }

    /** Another node's records: each is merged; returns how many this node took. */
    public int onSessions(List<PeerSession> sessions) {
        return merge(sessions);
    }

    /** This node's copy of every record, deletions included, for another node. */
    public List<PeerSession> copy() {
        return store.replicas().stream().map(PeerSession::of).toList();
    }

    private int merge(List<PeerSession> sessions) {
        int merged = 0;
        for (PeerSession s : sessions) {
            Replica r = s.toReplica();
            try {
                if (r != null && store.merge(r)) {
                    merged++;
                }
            } catch (IllegalArgumentException e) {
                log.debug("ignored a session for {}: {}", s.streamPath(), e.getMessage());
            }
        }
        return merged;
    }

    // --- summaries -------------------------------------------------------------------------------------

    /**
     * Every node this node knows, itself included, with its state as this node judges it (alive for one
     * added a moment ago, before membership has looked at it).
     */
    public List<PeerSummary> summaries() {
        List<PeerSummary> all = new ArrayList<>();
        for (NodeRecord r : store.nodes()) {
            NodeState state = membership.state(r.id()).orElse(NodeState.ALIVE);
            all.add(PeerSummary.of(r, state.jsonValue()));
        }
        all.sort(java.util.Comparator.comparing(PeerSummary::serverId));
        return all;
    }

    private PeerSummary selfSummary(String status) {
        NodeRecord self = store.node(membership.selfId()).orElseThrow(() -> new IllegalStateException(
                "node " + membership.selfId() + " has not registered"));
        return PeerSummary.of(self, status == null ? NodeState.ALIVE.jsonValue() : status);
    }

    private String selfAddress() {
        return store.node(membership.selfId()).map(r -> PeerAddress.format(r.internal(), r.httpPort())).orElse("");
    }

    private static PeerTransport.Target target(NodeRecord r) {
        return new PeerTransport.Target(r.id(), new PeerAddress(r.internal(), r.httpPort()));
    }

    /** Says goodbye to the live peers (they forget this node at once) and stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tasks.forEach(t -> t.cancel(false));
        if (writes != null) {
            try {
                writes.close();
            } catch (Exception e) {
                log.debug("closing the write listener failed", e);
            }
        }
        List<CompletableFuture<?>> goodbyes = new ArrayList<>();
        try {
            PeerSummary leaving = selfSummary(PeerSummary.LEAVING);
            for (NodeRecord peer : membership.peers()) {
                goodbyes.add(transport.heartbeat(target(peer), leaving));
            }
            CompletableFuture.allOf(goodbyes.toArray(CompletableFuture[]::new))
                    .get(GOODBYE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.debug("not every peer answered this node's goodbye: {}", e.toString());
        }
    }

    private Runnable guard(Runnable task) {
        return Tasks.guarded(() -> closed, log, "peer sync task", task);
    }
}
