package io.tributary.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tributary.cluster.comm.ClusterNotifier;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.relay.RelayManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The cluster as this node sees it: its peers' heartbeat ages and states (as {@link Membership} judges them),
 * the store's reachability, notifications to peers, and the streams it pulls from other nodes. A node on
 * the embedded store is a cluster of one: it has no peers and sends no notifications.
 */
final class ClusterMeters {
    private final Membership membership;
    private final ClusterNotifier notifier;
    private final MultiGauge heartbeatAge;
    private final MultiGauge peerState;

    /** @param notifier null on a node without a cluster secret, which notifies nobody */
    ClusterMeters(MeterRegistry registry, Membership membership, ClusterNotifier notifier, RelayManager relays) {
        this.membership = membership;
        this.notifier = notifier;
        heartbeatAge = MultiGauge.builder("tributary.peer.heartbeat.age.seconds")
                .description("How long ago each other node's heartbeat was last seen to move, on this node's clock")
                .register(registry);
        peerState = MultiGauge.builder("tributary.peer.state")
                .description("1 for each other node's current state (alive, suspect, dead), 0 for the others")
                .register(registry);
        for (NodeState state : NodeState.values()) {
            Gauge.builder("tributary.cluster.nodes", this, m -> m.nodesIn(state)).tag("state", state.jsonValue())
                    .description("Nodes this node knows by state, itself included")
                    .register(registry);
        }
        Gauge.builder("tributary.store.available", this, m -> m.membership.storeAvailable() ? 1 : 0)
                .description("1 while the cluster store answers, 0 while this node cannot reach it")
                .register(registry);
        notifications(registry, "sent", ClusterNotifier::sentCount);
        notifications(registry, "failed", ClusterNotifier::failedCount);
        Gauge.builder("tributary.relay.pulls", relays, RelayManager::pullCount)
                .description("Streams this node pulls from other nodes now")
                .register(registry);
        FunctionCounter.builder("tributary.relay.pull.attempts", relays, RelayManager::pullAttempts)
                .description("Pull attempts started: first tries, retries and moves to a new origin")
                .register(registry);
        FunctionCounter.builder("tributary.relay.pull.failures", relays, RelayManager::pullFailures)
                .description("Pull attempts that failed: refused, unreachable, or no media in time")
                .register(registry);
    }

    private void notifications(MeterRegistry registry, String result, ToLongFunction<ClusterNotifier> count) {
        FunctionCounter.builder("tributary.cluster.notifications", this,
                        m -> m.notifier == null ? 0 : count.applyAsLong(m.notifier))
                .tag("result", result)
                .description("Notifications to other nodes (publish started/stopped, room messages) by outcome; "
                        + "failed means given up on after its retries")
                .register(registry);
    }

    /** Puts the current peers in the peer series; a node that left the store leaves them. */
    void refresh() {
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        for (NodeView v : membership.nodes()) {
            if (v.self()) {
                continue;
            }
            String peer = v.record().id();
            ages.add(MultiGauge.Row.of(Tags.of("peer", peer), v.heartbeatAgeMillis() / 1000.0));
            for (NodeState state : NodeState.values()) {
                states.add(MultiGauge.Row.of(Tags.of("peer", peer, "state", state.jsonValue()),
                        v.state() == state ? 1 : 0));
            }
        }
        heartbeatAge.register(ages, true);
        peerState.register(states, true);
    }

    private int nodesIn(NodeState state) {
        int n = 0;
        for (NodeView v : membership.nodes()) {
            if (v.state() == state) {
                n++;
            }
        }
        return n;
    }
}
