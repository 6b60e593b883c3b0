package io.tributary.cluster.relay;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A relay as /cluster/api/relay/sessions shows it (seed 002's Relay tab): a pull this node makes from an
 * origin ("pull"), or the pulls other nodes make from this one for a stream ("serve").
 */
public record RelayView(@JsonProperty("stream_path") String streamPath,
                        @JsonProperty("direction") String direction,
                        @JsonProperty("origin_node") String originNode,
                        @JsonProperty("source") String source,
                        @JsonProperty("state") String state,
                        @JsonProperty("subscriber_count") int subscriberCount,
                        @JsonProperty("frame_count") long frameCount,
                        @JsonProperty("attempts") int attempts,
                        @JsonProperty("started_at") long startedAt) {
}
