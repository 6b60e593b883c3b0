package io.tributary.cluster.membership;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;

/**
 * A node as this node sees it now.
 *
 * @param heartbeatAgeMillis how long ago (on this node's monotonic clock) its heartbeat counter last moved
 */
public record NodeView(NodeRecord record, NodeState state, long heartbeatAgeMillis, boolean self) {
}
