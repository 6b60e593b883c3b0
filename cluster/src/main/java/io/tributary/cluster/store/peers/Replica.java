package io.tributary.cluster.store.peers;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;

/**
 * One stream path's broadcast record as a peers-mode node holds it, with what the nodes need to agree on
 * it without a store: its generation, and for a deleted record the time of deletion (a tombstone, kept a
 * while so that an older copy arriving late cannot bring the record back).
 *
 * <p>The generation counts the events that change who owns the stream: creation, every claim and release,
 * deletion. A node that writes such an event gives it the generation it knew plus one, so a write made
 * knowing another comes after it, and two writes made on the same knowledge (two nodes claiming at once)
 * share a generation and are told apart by {@link ReplicaOrder}. Changes that keep the owner (live
 * figures, a renamed broadcast) keep the generation and are ordered by version.
 *
 * @param broadcast the record, null for a tombstone; never changed once in a replica
 * @param deletedAt wall-clock ms of the deletion, 0 for a record
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Replica(@JsonProperty("app") String app,
                      @JsonProperty("streamId") String streamId,
                      @JsonProperty("broadcast") Broadcast broadcast,
                      @JsonProperty("generation") long generation,
                      @JsonProperty("deletedAt") long deletedAt) {

    public static Replica of(String app, Broadcast broadcast, long generation) {
        return new Replica(app, broadcast.getStreamId(), broadcast.copy(), generation, 0);
    }

    public static Replica tombstone(String app, String streamId, long generation, long deletedAt) {
        return new Replica(app, streamId, null, generation, deletedAt);
    }

    public boolean deleted() {
        return broadcast == null;
    }

    /** {@code app/streamId}. */
    public String path() {
        return app + "/" + streamId;
    }

    /** The node this record says publishes the stream right now, or null. */
    public String liveOwner() {
        return broadcast != null && broadcast.getStatus() == BroadcastStatus.BROADCASTING
                ? broadcast.getOriginNode() : null;
    }

    /** The record's version, or 0 for a tombstone. */
    public long version() {
        return broadcast == null ? 0 : broadcast.getVersion();
    }

    /** A copy of the record, for callers that may change it. */
    public Broadcast copyOfBroadcast() {
        return broadcast == null ? null : broadcast.copy();
    }
}
