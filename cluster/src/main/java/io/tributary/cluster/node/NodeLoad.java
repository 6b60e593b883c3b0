package io.tributary.cluster.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;
import java.util.Map;

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
 * @param draining the node takes no new publishers or players (its current ones carry on)
 * @param streams viewers per stream on this node (relay pulls are not viewers)
 */
public record NodeLoad(@JsonProperty("cpu") double cpu,
                       @JsonProperty("memoryUsed") long memoryUsed,
                       @JsonProperty("memoryMax") long memoryMax,
                       @JsonProperty("egressBitsPerSecond") long egressBitsPerSecond,
                       @JsonProperty("ingressBitsPerSecond") long ingressBitsPerSecond,
                       @JsonProperty("publishers") int publishers,
                       @JsonProperty("players") int players,
                       @JsonProperty("draining") @JsonSetter(nulls = Nulls.AS_EMPTY) boolean draining,
                       @JsonProperty("streams") List<StreamViewers> streams) {

    public static final NodeLoad IDLE = new NodeLoad(0, 0, 0, 0, 0, 0, 0);

    public NodeLoad {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    /** Load without drain state or per-stream viewers. */
    public NodeLoad(double cpu, long memoryUsed, long memoryMax, long egressBitsPerSecond, long ingressBitsPerSecond,
                    int publishers, int players) {
        this(cpu, memoryUsed, memoryMax, egressBitsPerSecond, ingressBitsPerSecond, publishers, players, false,
                List.of());
    }

    /** This node's viewers of one stream (all zero when it has none). */
    public StreamViewers viewersOf(String path) {
        for (StreamViewers s : streams) {
            if (s.path().equals(path)) {
                return s;
            }
        }
        return new StreamViewers(path, Map.of());
    }

    /** Memory in use as a share of the limit, 0..1. */
    public double memoryShare() {
        return memoryMax <= 0 ? 0 : (double) memoryUsed / memoryMax;
    }
}
