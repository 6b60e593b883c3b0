package io.tributary.cluster.node;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What a node reports about its load with every heartbeat.
 *
 * @param cpu process CPU use, 0..1 of the whole machine
 * @param memoryUsed heap in use, bytes
 * @param memoryMax heap limit, bytes
 * @param egressBitsPerSecond media sent to players over the last seconds
 * @param ingressBitsPerSecond media received from publishers over the last seconds
 * @param publishers streams published on this node
 * @param players viewers connected to this node
 */
public record NodeLoad(@JsonProperty("cpu") double cpu,
                       @JsonProperty("memoryUsed") long memoryUsed,
                       @JsonProperty("memoryMax") long memoryMax,
                       @JsonProperty("egressBitsPerSecond") long egressBitsPerSecond,
                       @JsonProperty("ingressBitsPerSecond") long ingressBitsPerSecond,
                       @JsonProperty("publishers") int publishers,
                       @JsonProperty("players") int players) {

    public static final NodeLoad IDLE = new NodeLoad(0, 0, 0, 0, 0, 0, 0);

    /** Memory in use as a share of the limit, 0..1. */
    public double memoryShare() {
        return memoryMax <= 0 ? 0 : (double) memoryUsed / memoryMax;
    }
}
