package io.tributary.cluster.directory;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;

/**
 * Where a stream lives, as this node's directory caches it: enough to route a player without asking the
 * store. Updates are ordered by {@code generation} (the record's creation time: a record deleted and
 * created again starts its versions over, but is a newer generation), then by {@code version}, so an
 * older update never overwrites a newer one; a deleted record stays as a tombstone for a while for the
 * same reason.
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
                             @JsonProperty("startTime") long startTime,
                             @JsonProperty("generation") @JsonSetter(nulls = Nulls.AS_EMPTY) long generation) {

    public static DirectoryEntry of(String app, Broadcast b) {
        return new DirectoryEntry(app, b.getStreamId(), b.getStatus(), b.getOriginNode(), b.getOriginAddress(),
                b.getVersion(), false, b.getRole(), b.getMainTrackStreamId(), b.getStartTime(), b.getDate());
    }

    public static DirectoryEntry deleted(String app, String streamId, long version, long generation) {
        return new DirectoryEntry(app, streamId, null, null, null, version, true, null, null, 0, generation);
    }

    /** Whether this update is newer than {@code current} and should replace it. */
    public boolean supersedes(DirectoryEntry current) {
        if (generation != current.generation) {
            return generation > current.generation;
        }
        return version > current.version || deleted && !current.deleted && version >= current.version;
    }

    /** Published right now, on {@link #originNode}. */
    public boolean live() {
        return !deleted && status == BroadcastStatus.BROADCASTING && originNode != null;
    }

    public String path() {
        return app + "/" + streamId;
    }
}
