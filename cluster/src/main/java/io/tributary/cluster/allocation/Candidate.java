package io.tributary.cluster.allocation;

import io.tributary.cluster.node.NodeRecord;

/**
 * A node that can take the client, as ranked.
 *
 * @param score {@link RoutingThresholds#score}, tickets included; lower is less loaded
 * @param tickets this node's outstanding tickets on it, before this allocation
 * @param hasStream the node already has viewers of the stream (so an edge already relays it)
 */
public record Candidate(NodeRecord node, double score, int tickets, boolean hasStream) {

    public String serverId() {
        return node.id();
    }

    /** The score to four decimals, as answers and reasons show it. */
    public double shownScore() {
        return Math.round(score * 10_000) / 10_000.0;
    }
}
