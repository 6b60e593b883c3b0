package io.tributary.cluster.membership;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;

/** Hears what membership decides. Called on the membership thread: hand long work to another executor. */
public interface MembershipListener {

    default void nodeStateChanged(NodeRecord node, NodeState from, NodeState to) {
    }

    /** This node won the right to clean up after a dead node: exactly one survivor gets this call. */
    default void nodeDeclaredDead(NodeRecord node) {
    }

    /** The store answers again after an outage and this node has registered again: resynchronise. */
    default void storeReconnected() {
    }
}
