package io.tributary.cluster.peers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.StreamViewers;
import java.util.List;
import java.util.Map;

/**
 * A node's load as peers exchange it with every heartbeat, in the cluster API's snake_case: enough for
 * allocation and viewer counts to work on every node as they do with a store.
 *
 * @param cpu process CPU use in percent of the machine
 * @param streams viewers per stream path on that node, by protocol
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PeerLoad(@JsonProperty("cpu") double cpu,
                       @JsonProperty("memory_used") long memoryUsed,
                       @JsonProperty("memory_max") long memoryMax,
                       @JsonProperty("egress_bps") long egressBps,
                       @JsonProperty("ingress_bps") long ingressBps,
                       @JsonProperty("publishers") int publishers,
                       @JsonProperty("players") int players,
                       @JsonProperty("draining") boolean draining,
                       @JsonProperty("streams") Map<String, Map<String, Integer>> streams) {

    public static PeerLoad of(NodeLoad l) {
        Map<String, Map<String, Integer>> streams = new java.util.TreeMap<>();
        l.streams().forEach(s -> streams.put(s.path(), s.viewers()));
        return new PeerLoad(l.cpu() * 100, l.memoryUsed(), l.memoryMax(), l.egressBitsPerSecond(),
                l.ingressBitsPerSecond(), l.publishers(), l.players(), l.draining(), streams);
    }

    public NodeLoad toNodeLoad() {
        List<StreamViewers> viewers = streams == null ? List.of() : streams.entrySet().stream()
                .map(e -> new StreamViewers(e.getKey(), e.getValue())).toList();
        return new NodeLoad(cpu / 100, memoryUsed, memoryMax, egressBps, ingressBps, publishers, players, draining,
                viewers);
    }
}
