package io.tributary.cluster.peers;

import io.tributary.cluster.membership.MembershipListener;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * Which nodes subscribe to which stream paths (the seed's {@code subscribe_nodes}), from the subscribe and
 * unsubscribe deltas nodes send each other ({@code sessions/participation}). A node judged dead subscribes
 * to nothing any more.
 */
public final class Participations implements MembershipListener {
    private final Map<String, Set<String>> byPath = new ConcurrentHashMap<>();

    /** Applies one delta; returns the nodes subscribing to {@code path} now, sorted. */
    public List<String> apply(String path, String nodeId, boolean subscribe) {
        if (subscribe) {
            byPath.computeIfAbsent(path, p -> new ConcurrentSkipListSet<>()).add(nodeId);
        } else {
            byPath.computeIfPresent(path, (p, nodes) -> {
                nodes.remove(nodeId);
                return nodes.isEmpty() ? null : nodes;
            });
        }
        return of(path);
    }

    /** The nodes subscribing to {@code path}, sorted. */
    public List<String> of(String path) {
        Set<String> nodes = byPath.get(path);
        return nodes == null ? List.of() : List.copyOf(nodes);
    }

    /** Forgets everything {@code nodeId} subscribed to. */
    public void forget(String nodeId) {
        for (String path : byPath.keySet()) {
            apply(path, nodeId, false);
        }
    }

    @Override
    public void nodeStateChanged(NodeRecord node, NodeState from, NodeState to) {
        if (to == NodeState.DEAD) {
            forget(node.id());
        }
    }
}
