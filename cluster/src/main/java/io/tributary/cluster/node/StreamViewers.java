package io.tributary.cluster.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * How many viewers a node has on one stream, by protocol ("rtmp", "flv", "hls"); reported with every
 * heartbeat so that any node can tell a broadcast's viewers across the cluster.
 */
public record StreamViewers(@JsonProperty("path") String path, @JsonProperty("viewers") Map<String, Integer> viewers) {

    public StreamViewers {
        viewers = viewers == null ? Map.of() : Map.copyOf(viewers);
    }

    public int of(String protocol) {
        return viewers.getOrDefault(protocol, 0);
    }
}
