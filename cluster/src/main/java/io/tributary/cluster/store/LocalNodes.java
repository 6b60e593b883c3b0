package io.tributary.cluster.store;

import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Node records held in this process's memory, with the store's rules for heartbeats and markDead, for the
 * engines that keep membership to themselves (embedded: one node; peers: each node's own view). Every change
 * is announced on the engine's events.
 */
public final class LocalNodes {
    private final Map<String, NodeRecord> nodes = new ConcurrentHashMap<>();
    private final LocalEvents events;

    public LocalNodes(LocalEvents events) {
        this.events = events;
    }

    public void put(NodeRecord node) {
        nodes.put(node.id(), node);
        events.publish(new StoreEvent(StoreEvent.Type.NODE_CHANGED, null, node.id(), node.heartbeat()));
    }

    public Optional<NodeRecord> get(String nodeId) {
        return Optional.ofNullable(nodes.get(nodeId));
    }

    public List<NodeRecord> all() {
        return List.copyOf(nodes.values());
    }

    /** As {@link ClusterStore#heartbeat}. */
    public Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now) {
        NodeRecord updated = nodes.computeIfPresent(nodeId, (id, r) -> r.instance().equals(instance)
                ? r.withHeartbeat(r.heartbeat() + 1, load, now) : r);
        if (updated == null || !updated.instance().equals(instance)) {
            return Optional.empty();
        }
        events.publish(new StoreEvent(StoreEvent.Type.NODE_HEARTBEAT, null, nodeId, updated.heartbeat()));
        return Optional.of(updated);
    }

    /** As {@link ClusterStore#markDead}: exactly one caller in this process wins. */
    public boolean markDead(String nodeId, long atHeartbeat) {
        boolean[] won = {false};
        nodes.computeIfPresent(nodeId, (id, r) -> {
            if (r.heartbeat() == atHeartbeat && r.deadAtHeartbeat() != atHeartbeat) {
                won[0] = true;
                return r.withDeadAt(atHeartbeat);
            }
            return r;
        });
        if (won[0]) {
            events.publish(new StoreEvent(StoreEvent.Type.NODE_CHANGED, null, nodeId, atHeartbeat));
        }
        return won[0];
    }

    public boolean remove(String nodeId) {
        boolean removed = nodes.remove(nodeId) != null;
        if (removed) {
            events.publish(new StoreEvent(StoreEvent.Type.NODE_CHANGED, null, nodeId, -1));
        }
        return removed;
    }

    /**
     * Replaces a node's record with what {@code change} makes of the current one (null when unknown) and
     * announces it: a new record as changed, a moved counter as a heartbeat. {@code change} returning null
     * leaves the node unknown.
     */
    public NodeRecord change(String nodeId, BiFunction<String, NodeRecord, NodeRecord> change) {
        NodeRecord[] before = {null};
        NodeRecord stored = nodes.compute(nodeId, (id, current) -> {
            before[0] = current;
            return change.apply(id, current);
        });
        if (stored != null && (before[0] == null || stored.heartbeat() != before[0].heartbeat())) {
            events.publish(new StoreEvent(before[0] == null ? StoreEvent.Type.NODE_CHANGED
                    : StoreEvent.Type.NODE_HEARTBEAT, null, nodeId, stored.heartbeat()));
        }
        return stored;
    }
}
