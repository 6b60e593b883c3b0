package io.tributary.cluster.peers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.store.peers.Replica;
import java.util.List;

/**
 * A stream session as {@code /cluster/api/sessions} lists it (the seed's shape: which node publishes a
 * stream path, and which nodes subscribe to it), and, with its replica fields, as peers exchange them in
 * {@code sessions/sync}: the whole record with its generation, or a deletion.
 *
 * @param nodeId the origin node while the stream is live, null otherwise
 * @param status created, broadcasting, finished, or deleted
 * @param subscribeNodes nodes with viewers of the stream (the seed's subscribe_nodes); absent in syncs
 * @param generation the replica's generation (see {@link Replica}); absent in the operators' list
 * @param deletedAt for a deletion, when it happened (wall-clock ms)
 * @param broadcast the record itself, in a sync
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerSession(@JsonProperty("stream_path") String streamPath,
                          @JsonProperty("node_id") String nodeId,
                          @JsonProperty("status") String status,
                          @JsonProperty("version") long version,
                          @JsonProperty("start_time") long startTime,
                          @JsonProperty("subscribe_nodes") List<String> subscribeNodes,
                          @JsonProperty("generation") Long generation,
                          @JsonProperty("deleted_at") Long deletedAt,
                          @JsonProperty("broadcast") Broadcast broadcast) {
    static final String DELETED = "deleted";

    /** A live session as the operators' list shows it. */
    public static PeerSession of(DirectoryEntry e, List<String> subscribeNodes) {
        return new PeerSession(e.path(), e.originNode(), e.status().jsonValue(), e.version(), e.startTime(),
                subscribeNodes, null, null, null);
    }

    /** A replica, for another node's copy. */
    public static PeerSession of(Replica r) {
        Broadcast b = r.broadcast();
        return new PeerSession(r.path(), r.liveOwner(), b == null ? DELETED : b.getStatus().jsonValue(),
                r.version(), b == null ? 0 : b.getStartTime(), null, r.generation(),
                b == null ? r.deletedAt() : null, r.copyOfBroadcast());
    }

    /**
     * The replica this session carries, or null when it carries none (a session from the operators' list) or
     * is malformed.
     */
    public Replica toReplica() {
        if (generation == null || streamPath == null) {
            return null;
        }
        int slash = streamPath.indexOf('/');
        if (slash <= 0) {
            return null;
        }
        String app = streamPath.substring(0, slash);
        String streamId = streamPath.substring(slash + 1);
        if (DELETED.equals(status)) {
            return deletedAt == null ? null : Replica.tombstone(app, streamId, generation, deletedAt);
        }
        if (broadcast == null || !streamId.equals(broadcast.getStreamId())) {
            return null;
        }
        return Replica.of(app, broadcast, generation);
    }
}
