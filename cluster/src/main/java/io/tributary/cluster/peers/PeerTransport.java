package io.tributary.cluster.peers;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * How a node's peer sync reaches another node's control plane: over HTTP between processes
 * ({@link HttpPeerTransport}), directly between objects in tests. Every call completes exceptionally when
 * the peer does not answer in time or refuses.
 */
public interface PeerTransport {

    /** A peer to call: its id when known (a seed given by address only has none yet) and its address. */
    record Target(String nodeId, PeerAddress address) {
    }

    /** A heartbeat's answer: who answered, and the nodes it knows (itself included). */
    record HeartbeatReply(String serverId, List<PeerSummary> summaries) {
    }

    /** {@code POST /cluster/api/heartbeat}. */
    CompletableFuture<HeartbeatReply> heartbeat(Target to, PeerSummary self);

    /** {@code POST /cluster/api/servers/sync}: sends the nodes this node knows, gets the ones the peer knows. */
    CompletableFuture<List<PeerSummary>> syncServers(Target to, List<PeerSummary> known);

    /** {@code GET /cluster/api/sessions?state=all}: the peer's copy of every record, deletions included. */
    CompletableFuture<List<PeerSession>> sessions(Target to);

    /** {@code POST /cluster/api/sessions/sync}: records written here, for the peer's copy. */
    CompletableFuture<Void> syncSessions(Target to, String from, List<PeerSession> sessions);

    /** {@code POST /cluster/api/sessions/participation}. */
    CompletableFuture<Void> participation(Target to, Participation delta);
}
