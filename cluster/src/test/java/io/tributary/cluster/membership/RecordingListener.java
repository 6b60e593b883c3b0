package io.tributary.cluster.membership;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Everything a membership told its listeners, with the System.nanoTime() at which it did. */
public final class RecordingListener implements MembershipListener {

    /** One state change as the listener heard it. */
    public record Change(String nodeId, NodeState from, NodeState to, long atNanos) {
    }

    private final List<Change> changes = new CopyOnWriteArrayList<>();
    private final List<String> declaredDead = new CopyOnWriteArrayList<>();
    private final List<Long> reconnects = new CopyOnWriteArrayList<>();

    @Override
    public void nodeStateChanged(NodeRecord node, NodeState from, NodeState to) {
        changes.add(new Change(node.id(), from, to, System.nanoTime()));
    }

    @Override
    public void nodeDeclaredDead(NodeRecord node) {
        declaredDead.add(node.id());
    }

    @Override
    public void storeReconnected() {
        reconnects.add(System.nanoTime());
    }

    public List<Change> changes() {
        return List.copyOf(changes);
    }

    /** The first time {@code nodeId} went to {@code to}, or -1. */
    public long firstTimeTo(String nodeId, NodeState to) {
        return changes.stream().filter(c -> c.nodeId().equals(nodeId) && c.to() == to).mapToLong(Change::atNanos)
                .findFirst().orElse(-1);
    }

    public boolean everWent(NodeState to) {
        return changes.stream().anyMatch(c -> c.to() == to);
    }

    public List<String> declaredDead() {
        return List.copyOf(declaredDead);
    }

    public int reconnects() {
        return reconnects.size();
    }
}
