package io.tributary.cluster.directory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;

/**
 * Where a stream lives, as this node's directory caches it: enough to route a player without asking the
 * store. {@code version} is the broadcast record's version, so an older update never overwrites a newer
 * one; a deleted record stays as a tombstone for a while for the same reason.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DirectoryEntry(@JsonProperty("app") String app,
                             @JsonProperty("streamId") String streamId,
                             @JsonProperty("status") BroadcastStatus status,
                             @JsonProperty("originNode") String originNode,
                             @JsonProperty("originAddress") String originAddress,
                             @JsonProperty("version") long version,
                             @JsonProperty("deleted") boolean deleted,
                             @JsonProperty("role") String role,
                             @JsonProperty("mainTrackStreamId") String mainTrackStreamId,
                             @JsonProperty("startTime") long startTime) {

    public static DirectoryEntry of(String app, Broadcast b) {
        return new DirectoryEntry(app, b.getStreamId(), b.getStatus(), b.getOriginNode(), b.getOriginAddress(),
                b.getVersion(), false, b.getRole(), b.getMainTrackStreamId(), b.getStartTime());
    }

    public static DirectoryEntry deleted(String app, String streamId, long version) {
        return new DirectoryEntry(app, streamId, null, null, null, version, true, null, null, 0);
    }

    /** Published right now, on {@link #originNode}. */
    public boolean live() {
        return !deleted && status == BroadcastStatus.BROADCASTING && originNode != null;
    }

    public String path() {
        return app + "/" + streamId;
    }
}
