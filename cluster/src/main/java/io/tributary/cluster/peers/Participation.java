package io.tributary.cluster.peers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A subscribe or unsubscribe delta ({@code POST /cluster/api/sessions/participation}): node {@code nodeId}
 * started or stopped having viewers of {@code streamPath}.
 *
 * @param action {@code subscribe} or {@code unsubscribe}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Participation(@JsonProperty("stream_path") String streamPath,
                            @JsonProperty("node_id") String nodeId,
                            @JsonProperty("action") String action) {
    public static final String SUBSCRIBE = "subscribe";
    public static final String UNSUBSCRIBE = "unsubscribe";

    public boolean subscribe() {
        return SUBSCRIBE.equals(action);
    }
}
