package io.tributary.cluster.membership;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The judge of node liveness, and the only one. It watches each node's heartbeat counter and times,
 * on this node's monotonic clock, how long ago the counter last moved: no two nodes' wall clocks are
 * ever compared. Pure logic: time is passed in, so tests move it.
 */
final class Liveness {

    /** A node whose state changed, and the counter it was judged at. */
    record Transition(NodeRecord node, NodeState from, NodeState to, long counter) {
    }

    private static final class Watch {
        NodeRecord record;
        long counter;
        long changedAt;
        NodeState state = NodeState.ALIVE;
        boolean deadReported;
    }

    private final MembershipSettings settings;
    private final String selfId;
    private final Map<String, Watch> watches = new HashMap<>();

    Liveness(MembershipSettings settings, String selfId) {
        this.settings = settings;
        this.selfId = selfId;
    }

    /** A node record as read from the store. */
    synchronized void observe(NodeRecord r, long now) {
        Watch w = watches.get(r.id());
        if (w == null) {
            w = new Watch();
            w.counter = r.heartbeat();
            w.changedAt = now;
            watches.put(r.id(), w);
        } else if (r.heartbeat() != w.counter) {
            // Any change is a sign of life: a node that registers again (say after the store lost its
            // data) starts its counter over, so "lower" is as alive as "higher".
            moved(w, r.heartbeat(), now);
        }
        w.record = r;
    }

    /** A heartbeat announced by the store's event feed, before any poll reads the record. */
    synchronized boolean observeHeartbeat(String nodeId, long counter, long now) {
        Watch w = watches.get(nodeId);
        if (w == null) {
            return false;
        }
        if (counter != w.counter) {
            moved(w, counter, now);
        }
        return true;
    }

    private static void moved(Watch w, long counter, long now) {
        w.counter = counter;
        w.changedAt = now;
        w.deadReported = false;
    }

    /** Drops nodes the store no longer has (removed by an operator or by a clean shutdown). */
    synchronized void retain(Set<String> ids) {
        watches.keySet().retainAll(ids);
    }

    /**
     * After a store outage nothing could be observed, which says nothing about the nodes: every watch
     * starts over from now rather than declaring the whole cluster dead.
     */
    synchronized void restartClocks(long now) {
        for (Watch w : watches.values()) {
            w.changedAt = now;
        }
    }

    synchronized List<Transition> judge(long now) {
        List<Transition> changes = new ArrayList<>();
        for (Map.Entry<String, Watch> e : watches.entrySet()) {
            Watch w = e.getValue();
            if (e.getKey().equals(selfId) || w.record == null) {
                continue;
            }
            NodeState next = stateOf(w, now);
            if (next != w.state) {
                changes.add(new Transition(w.record, w.state, next, w.counter));
                w.state = next;
            }
        }
        return changes;
    }

    /** Dead nodes nobody has tried to clean up after at their current counter yet; marks them tried. */
    synchronized List<Transition> deadToReport() {
        List<Transition> dead = new ArrayList<>();
        for (Watch w : watches.values()) {
            if (w.state == NodeState.DEAD && !w.deadReported && w.record != null) {
                w.deadReported = true;
                dead.add(new Transition(w.record, NodeState.DEAD, NodeState.DEAD, w.counter));
            }
        }
        return dead;
    }

    private NodeState stateOf(Watch w, long now) {
        if (w.record.markedDead() && w.record.heartbeat() == w.counter) {
            return NodeState.DEAD; // a survivor declared it dead and it has not been heard from since
        }
        long age = now - w.changedAt;
        if (age >= settings.deadAfterNanos()) {
            return NodeState.DEAD;
        }
        return age >= settings.suspectAfterNanos() ? NodeState.SUSPECT : NodeState.ALIVE;
    }

    /** The state of a node, or null when this node has never seen it. */
    synchronized NodeState state(String nodeId) {
        if (nodeId.equals(selfId)) {
            return NodeState.ALIVE;
        }
        Watch w = watches.get(nodeId);
        return w == null || w.record == null ? null : w.state;
    }

    synchronized NodeRecord record(String nodeId) {
        Watch w = watches.get(nodeId);
        return w == null ? null : w.record;
    }

    synchronized List<NodeView> view(long now) {
        List<NodeView> nodes = new ArrayList<>();
        for (Map.Entry<String, Watch> e : watches.entrySet()) {
            Watch w = e.getValue();
            if (w.record != null) {
                boolean self = e.getKey().equals(selfId);
                nodes.add(new NodeView(w.record, self ? NodeState.ALIVE : w.state, (now - w.changedAt) / 1_000_000,
                        self));
            }
        }
        nodes.sort((a, b) -> a.record().id().compareTo(b.record().id()));
        return nodes;
    }
}
