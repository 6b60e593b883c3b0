package io.tributary.cluster.node;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * A node as the cluster store keeps it: who it is, where it can be reached, and its latest heartbeat.
 *
 * <p>{@code heartbeat} is a counter the node increments every heartbeat period. Liveness is judged by
 * watching it change on the observer's own monotonic clock, so no two nodes' wall clocks are ever
 * compared; {@code updatedAt} is informational only. {@code instance} is a random token the node keeps
 * with its persisted identity: a restart of the same node carries the same token and may take over its
 * own record at once, while another process claiming the same id does not.
 *
 * @param id the node id
 * @param instance the token of the node's persisted identity
 * @param advertise address players and redirects are sent to
 * @param internal address other nodes use
 * @param rtmpPort RTMP port
 * @param httpPort HTTP port
 * @param roles "origin", "edge"
 * @param version Tributary version
 * @param heartbeat counter, incremented by every heartbeat
 * @param deadAtHeartbeat the counter value at which a survivor declared the node dead; -1 if never
 * @param load the load reported with the latest heartbeat
 * @param registeredAt wall-clock ms of registration (informational)
 * @param updatedAt wall-clock ms of the latest heartbeat, by the store's clock where the engine has one
 *     (MongoDB), else by the node's own (informational: liveness never reads it)
 */
public record NodeRecord(@JsonProperty("id") String id,
                         @JsonProperty("instance") String instance,
                         @JsonProperty("advertise") String advertise,
                         @JsonProperty("internal") String internal,
                         @JsonProperty("rtmpPort") int rtmpPort,
                         @JsonProperty("httpPort") int httpPort,
                         @JsonProperty("roles") List<String> roles,
                         @JsonProperty("version") String version,
                         @JsonProperty("heartbeat") long heartbeat,
                         @JsonProperty("deadAtHeartbeat") long deadAtHeartbeat,
                         @JsonProperty("load") NodeLoad load,
                         @JsonProperty("registeredAt") long registeredAt,
                         @JsonProperty("updatedAt") long updatedAt) {

    public NodeRecord {
        roles = roles == null ? List.of() : List.copyOf(roles);
        load = load == null ? NodeLoad.IDLE : load;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** Marked dead by a survivor at its current heartbeat (and not heard from since). */
    public boolean markedDead() {
        return deadAtHeartbeat >= 0 && deadAtHeartbeat == heartbeat;
    }

    public NodeRecord withHeartbeat(long counter, NodeLoad newLoad, long now) {
        return new NodeRecord(id, instance, advertise, internal, rtmpPort, httpPort, roles, version, counter,
                deadAtHeartbeat, newLoad, registeredAt, now);
    }

    public NodeRecord withDeadAt(long counter) {
        return new NodeRecord(id, instance, advertise, internal, rtmpPort, httpPort, roles, version, heartbeat,
                counter, load, registeredAt, updatedAt);
    }
}
