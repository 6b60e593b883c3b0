package io.tributary.cluster.allocation;

import io.tributary.cluster.node.NodeRecord;

/**
 * Whether a player that reached this node should be played here or sent to another node.
 *
 * @param target the node to play on: this one for {@code STAY} (null if this node has no record yet)
 * @param url the player's URL on {@code target} for the protocol asked (see {@link NodeUrls}); null with it
 * @param reason why, for operators
 */
public record RedirectDecision(Action action, NodeRecord target, String url, String reason) {

    public enum Action {
        STAY, REDIRECT
    }

    public boolean redirects() {
        return action == Action.REDIRECT;
    }

    public String serverId() {
        return target == null ? null : target.id();
    }
}
