package io.tributary.cluster.peers;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import java.util.List;

/**
 * A node as peers describe it to each other (the Monibuca seed's "summary"): in heartbeats, their answers
 * and {@code servers/sync}. Only {@code server_id} and {@code address} are required, as in the seed; a
 * Tributary node sends every field.
 *
 * @param address the node's control plane, {@code internal:httpPort}
 * @param status the sender's view of the node (alive, suspect, dead), or {@code leaving} in the heartbeat of
 *     a node that stops cleanly
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PeerSummary(@JsonProperty("server_id") String serverId,
                          @JsonProperty("address") String address,
                          @JsonProperty("advertise") String advertise,
                          @JsonProperty("rtmp_port") Integer rtmpPort,
                          @JsonProperty("roles") List<String> roles,
                          @JsonProperty("version") String version,
                          @JsonProperty("status") String status,
                          @JsonProperty("registered_at") Long registeredAt,
                          @JsonProperty("updated_at") Long updatedAt,
                          @JsonProperty("load") PeerLoad load) {
    /** The status of a node that stops cleanly, in its last heartbeat: the receivers forget it. */
    public static final String LEAVING = "leaving";
    /** Remote records carry no instance token (it guards a record in a shared store; here each node owns its own). */
    static final String REMOTE_INSTANCE = "peer";

    public static PeerSummary of(NodeRecord r, String status) {
        return new PeerSummary(r.id(), PeerAddress.format(r.internal(), r.httpPort()), r.advertise(), r.rtmpPort(),
                r.roles(), r.version(), status, r.registeredAt(), r.updatedAt(), PeerLoad.of(r.load()));
    }

    /** Whether the required fields are there and the address reads as host:port. */
    public boolean valid() {
        return serverId != null && !serverId.isBlank() && PeerAddress.parse(address) != null;
    }

    /** The node record this summary describes, as this node keeps other nodes' records. */
    public NodeRecord toRecord() {
        PeerAddress a = PeerAddress.parse(address);
        return new NodeRecord(serverId, REMOTE_INSTANCE, advertise == null ? a.host() : advertise, a.host(),
                rtmpPort == null ? 0 : rtmpPort, a.port(), roles == null ? List.of("origin", "edge") : roles,
                version == null ? "" : version, 0, -1, load == null ? NodeLoad.IDLE : load.toNodeLoad(),
                registeredAt == null ? 0 : registeredAt, updatedAt == null ? 0 : updatedAt);
    }
}
