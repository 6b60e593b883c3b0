package io.tributary.cluster.allocation;

import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.node.StreamViewers;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * A membership view built by hand: the nodes a test says exist, in the states and with the loads it says,
 * and a wall clock it moves. {@link #view} is what {@link AllocationManager} reads.
 */
final class TestNodes implements Supplier<List<NodeView>> {
    static final long START = 1_700_000_000_000L;

    final AtomicLong clock = new AtomicLong(START);
    private final List<NodeView> views = new CopyOnWriteArrayList<>();

    /** A node as the test describes it; {@link #add} puts it in the view. */
    static final class Node {
        private final String id;
        private List<String> roles = List.of("origin", "edge");
        private NodeState state = NodeState.ALIVE;
        private boolean self;
        private double cpu;
        private long egressMbit;
        private int players;
        private int publishers;
        private boolean draining;
        private String advertise = "127.0.0.1";
        private final List<StreamViewers> streams = new ArrayList<>();

        Node(String id) {
            this.id = id;
        }

        Node roles(String... r) {
            roles = List.of(r);
            return this;
        }

        Node state(NodeState s) {
            state = s;
            return this;
        }

        Node self() {
            self = true;
            return this;
        }

        Node cpu(double share) {
            cpu = share;
            return this;
        }

        Node egressMbit(long mbit) {
            egressMbit = mbit;
            return this;
        }

        Node players(int n) {
            players = n;
            return this;
        }

        Node publishers(int n) {
            publishers = n;
            return this;
        }

        Node draining() {
            draining = true;
            return this;
        }

        Node advertise(String address) {
            advertise = address;
            return this;
        }

        Node viewers(String path, int flv) {
            streams.add(new StreamViewers(path, Map.of("flv", flv)));
            return this;
        }

        NodeRecord record() {
            NodeLoad load = new NodeLoad(cpu, 0, 0, egressMbit * 1_000_000, 0, publishers, players, draining, streams);
            return new NodeRecord(id, id + "-instance", advertise, "10.0.0.9", 1935, 5080, roles, "test", 1, -1, load,
                    0, 0);
        }
    }

    static Node node(String id) {
        return new Node(id);
    }

    TestNodes add(Node... nodes) {
        for (Node n : nodes) {
            views.add(new NodeView(n.record(), n.state, 0, n.self));
        }
        return this;
    }

    AllocationManager manager(AllocationSettings settings) {
        return new AllocationManager(this, () -> false, settings, clock::get);
    }

    AllocationManager manager() {
        return manager(AllocationSettings.defaults());
    }

    @Override
    public List<NodeView> get() {
        return List.copyOf(views);
    }
}
