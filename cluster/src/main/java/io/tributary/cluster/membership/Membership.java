package io.tributary.cluster.membership;

import io.tributary.cluster.Tasks;
import io.tributary.cluster.node.NodeIdentity;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's membership in the cluster: it registers, heartbeats with its load every period, watches
 * every other node's heartbeat counter (through the store's event feed and a poll every half period),
 * and is the one component that decides alive, suspect and dead; everything else asks it. When a node is
 * judged dead, one survivor wins the store's markDead and cleans up after it. A store outage is logged
 * once, freezes judgement (not seeing the store says nothing about the nodes), and ends with this node
 * registering again and telling its listeners to resynchronise. A clean stop deregisters.
 */
public final class Membership implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Membership.class);

    private final ClusterStore store;
    private final NodeIdentity identity;
    private final Supplier<NodeRecord> selfTemplate;
    private final Supplier<NodeLoad> load;
    private final MembershipSettings settings;
    private final ScheduledExecutorService timer;
    private final LongSupplier nanoClock;
    private final LongSupplier wallClock;
    private final Liveness liveness;
    private final List<MembershipListener> listeners = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private AutoCloseable subscription;
    private volatile boolean storeUp = true;
    private volatile boolean registered;
    private volatile boolean identityLost;
    private volatile boolean closed;

    /**
     * @param selfTemplate this node's record without heartbeat or load (addresses, ports, roles, version)
     * @param timer runs heartbeats, polls and judgement; store calls happen on it, never on a network thread
     */
    public Membership(ClusterStore store, NodeIdentity identity, Supplier<NodeRecord> selfTemplate,
                      Supplier<NodeLoad> load, MembershipSettings settings, ScheduledExecutorService timer,
                      LongSupplier nanoClock, LongSupplier wallClock) {
        this.store = store;
        this.identity = identity;
        this.selfTemplate = selfTemplate;
        this.load = load;
        this.settings = settings;
        this.timer = timer;
        this.nanoClock = nanoClock;
        this.wallClock = wallClock;
        this.liveness = new Liveness(settings, identity.nodeId());
    }

    public void addListener(MembershipListener listener) {
        listeners.add(listener);
    }

    public String selfId() {
        return identity.nodeId();
    }

    public MembershipSettings settings() {
        return settings;
    }

    /**
     * Registers (refusing an id a live node holds), reads the current members, and starts heartbeats,
     * polls and judgement.
     *
     * @throws NodeIdTakenException when another live node holds this node's id
     */
    public void start() {
        register(true);
        poll();
        subscription = store.subscribe(this::onStoreEvent);
        long period = settings.heartbeatPeriod().toMillis();
        tasks.add(timer.scheduleAtFixedRate(guard(this::heartbeat), period, period, TimeUnit.MILLISECONDS));
        tasks.add(timer.scheduleWithFixedDelay(guard(this::poll), period / 2, Math.max(1, period / 2),
                TimeUnit.MILLISECONDS));
        long tick = Math.max(10, period / 10);
        tasks.add(timer.scheduleWithFixedDelay(guard(this::judge), tick, tick, TimeUnit.MILLISECONDS));
    }

    private void register(boolean startingUp) {
        if (closed) {
            return; // a heartbeat that was under way when the node stopped must not re-register it
        }
        Optional<NodeRecord> existing = store.node(selfId());
        if (!startingUp && existing.isPresent() && !existing.get().instance().equals(identity.instance())) {
            loseIdentity(existing.get());
            return;
        }
        if (startingUp && existing.isPresent() && !existing.get().instance().equals(identity.instance())
                && !existing.get().markedDead()) {
            waitForHolderToBeGone(existing.get());
        }
        long counter = existing.map(r -> r.heartbeat() + 1).orElse(0L);
        NodeRecord t = selfTemplate.get();
        long now = wallClock.getAsLong();
        NodeRecord self = new NodeRecord(selfId(), identity.instance(), t.advertise(), t.internal(), t.rtmpPort(),
                t.httpPort(), t.roles(), t.version(), counter, -1, load.get(), now, now);
        store.putNode(self);
        registered = true;
        liveness.observe(self, nanoClock.getAsLong());
        if (existing.isPresent() && existing.get().instance().equals(identity.instance())) {
            log.info("node {} registered again in the {} store, taking over its own record", selfId(), store.engine());
        } else {
            log.info("node {} registered in the {} store", selfId(), store.engine());
        }
    }

    /**
     * Another process registered this id. If its counter still moves within one and a half periods it is
     * alive and this node must not start; otherwise it is a leftover and this node takes the record.
     */
    private void waitForHolderToBeGone(NodeRecord holder) {
        long deadline = nanoClock.getAsLong() + settings.heartbeatPeriod().toNanos() * 3 / 2
                + TimeUnit.MILLISECONDS.toNanos(500);
        long step = Math.max(20, settings.heartbeatPeriod().toMillis() / 10);
        // Bounded by attempts as well as by the (injected) clock, so a clock that does not move cannot hang it.
        long attempts = (deadline - nanoClock.getAsLong()) / TimeUnit.MILLISECONDS.toNanos(step) + 1;
        log.info("node id {} is registered by another instance (at {}); checking whether it is alive", selfId(),
                holder.advertise());
        for (long i = 0; i < attempts && nanoClock.getAsLong() < deadline; i++) {
            Optional<NodeRecord> now = store.node(selfId());
            if (now.isEmpty()) {
                return;
            }
            if (now.get().heartbeat() != holder.heartbeat()) {
                throw new NodeIdTakenException("node id " + selfId() + " is held by a live node (advertising "
                        + holder.advertise() + ", heartbeat still advancing); give this node another --node-id"
                        + " or stop that node");
            }
            try {
                Thread.sleep(step); // a start-up wait on a remote counter, not a test waiting for a condition
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while checking the node id", e);
            }
        }
    }

    private void heartbeat() {
        try {
            Optional<NodeRecord> updated = store.heartbeat(selfId(), identity.instance(), load.get(),
                    wallClock.getAsLong());
            if (!storeUp) {
                storeBack();
                return;
            }
            if (updated.isEmpty()) {
                if (!closed) {
                    log.warn("the {} store has no record of node {} for this instance (removed, its data lost, or "
                            + "taken over); registering again if the id is free", store.engine(), selfId());
                    register(false);
                }
            } else {
                liveness.observe(updated.get(), nanoClock.getAsLong());
            }
        } catch (StoreUnavailableException e) {
            storeDown(e);
        }
    }

    private void poll() {
        try {
            List<NodeRecord> nodes = store.nodes();
            long now = nanoClock.getAsLong();
            for (NodeRecord r : nodes) {
                liveness.observe(r, now);
            }
            liveness.retain(nodes.stream().map(NodeRecord::id).collect(Collectors.toSet()));
            if (!storeUp) {
                storeBack();
            }
        } catch (StoreUnavailableException e) {
            storeDown(e);
        }
    }

    private void onStoreEvent(StoreEvent e) {
        if (closed) {
            return;
        }
        if (e.type() == StoreEvent.Type.NODE_HEARTBEAT) {
            if (!liveness.observeHeartbeat(e.key(), e.version(), nanoClock.getAsLong())) {
                timer.execute(guard(this::poll)); // a node this node has not read yet
            }
        } else if (e.type() == StoreEvent.Type.NODE_CHANGED) {
            timer.execute(guard(this::poll));
        }
    }

    private void judge() {
        if (!storeUp) {
            return;
        }
        for (Liveness.Transition t : liveness.judge(nanoClock.getAsLong())) {
            log.info("node {} ({}) is {} (was {}), heartbeat {}", t.node().id(), t.node().advertise(),
                    t.to().jsonValue(), t.from().jsonValue(), t.counter());
            for (MembershipListener l : listeners) {
                l.nodeStateChanged(t.node(), t.from(), t.to());
            }
        }
        for (Liveness.Transition dead : liveness.deadToReport()) {
            try {
                if (store.markDead(dead.node().id(), dead.counter())) {
                    log.info("node {} declared dead at heartbeat {}; this node cleans up after it",
                            dead.node().id(), dead.counter());
                    for (MembershipListener l : listeners) {
                        l.nodeDeclaredDead(dead.node());
                    }
                }
            } catch (StoreUnavailableException e) {
                storeDown(e);
                return;
            }
        }
    }

    private void storeDown(StoreUnavailableException e) {
        if (storeUp) {
            storeUp = false;
            log.warn("cluster store unavailable: {}; serving the streams this node has, refusing new publishes "
                    + "until it returns", e.getMessage());
        }
    }

    /**
     * Another instance registered this node's id while this one was paused or cut off, after judging it
     * gone: that instance is the node now. This one stops heartbeating (never overwriting the record again)
     * and says so; its streams keep playing, but it takes no publishers until restarted with its own id.
     */
    private void loseIdentity(NodeRecord holder) {
        if (!identityLost) {
            identityLost = true;
            tasks.forEach(t -> t.cancel(false));
            log.error("node id {} is now held by another instance (advertising {}): this node stops heartbeating and "
                    + "takes no publishers; restart it with its own --node-id", selfId(), holder.advertise());
        }
    }

    /** Whether another instance took this node's id over (see {@link #loseIdentity}). */
    public boolean identityLost() {
        return identityLost;
    }

    private void storeBack() {
        if (closed) {
            return;
        }
        storeUp = true;
        liveness.restartClocks(nanoClock.getAsLong());
        log.info("cluster store ({}) is reachable again; registering node {} and resynchronising", store.engine(),
                selfId());
        register(false);
        for (MembershipListener l : listeners) {
            l.storeReconnected();
        }
    }

    public boolean storeAvailable() {
        return storeUp;
    }

    /** A node's state; empty when this node has never seen it. This node itself is always alive. */
    public Optional<NodeState> state(String nodeId) {
        return Optional.ofNullable(liveness.state(nodeId));
    }

    public Optional<NodeRecord> record(String nodeId) {
        return Optional.ofNullable(liveness.record(nodeId));
    }

    public List<NodeView> nodes() {
        return liveness.view(nanoClock.getAsLong());
    }

    /** The other nodes that are alive or suspect: whom to tell about events. */
    public List<NodeRecord> peers() {
        List<NodeRecord> peers = new ArrayList<>();
        for (NodeView v : nodes()) {
            if (!v.self() && v.state() != NodeState.DEAD) {
                peers.add(v.record());
            }
        }
        return peers;
    }

    /** Ids of every node this node knows, dead ones included. */
    public Set<String> knownIds() {
        return nodes().stream().map(v -> v.record().id()).collect(Collectors.toSet());
    }

    /** Stops heartbeats and removes this node's record (a clean shutdown). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tasks.forEach(t -> t.cancel(false));
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("closing the store subscription failed", e);
            }
        }
        if (!registered) {
            return; // never registered (refused at start-up): the record, if any, is another node's
        }
        try {
            // Only this instance's own record: a node that took the id over since must keep it.
            if (store.node(selfId()).filter(r -> r.instance().equals(identity.instance())).isPresent()) {
                store.removeNode(selfId());
                log.info("node {} deregistered", selfId());
            }
        } catch (RuntimeException e) {
            log.warn("could not deregister node {}: {}", selfId(), e.getMessage());
        }
    }

    private Runnable guard(Runnable task) {
        return Tasks.guarded(() -> closed, log, "membership task", task);
    }
}
