package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.peers.Participation;
import io.tributary.cluster.peers.Participations;
import io.tributary.cluster.relay.RelayManager;
import io.tributary.media.StreamPath;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /cluster/api/sessions/participation}: a node subscribes to a stream or unsubscribes from it
 * (the seed's deltas, which nodes in peers mode send each other when a stream gains its first viewer on them
 * or loses its last). Another node's delta updates the stream's subscribe_nodes; one that names this node,
 * for a stream live on another origin, starts a pull of it here, or keeps the one there is.
 */
final class ParticipationRoute {
    private static final Logger log = LoggerFactory.getLogger(ParticipationRoute.class);

    private final ClusterAuth auth;
    private final Participations participations;
    private final StreamDirectory directory;
    private final RelayManager relays;
    private final String selfId;

    ParticipationRoute(ClusterAuth auth, Participations participations, StreamDirectory directory,
                       RelayManager relays, String selfId) {
        this.auth = auth;
        this.participations = participations;
        this.directory = directory;
        this.relays = relays;
        this.selfId = selfId;
    }

    /**
     * @param relay for a subscription naming this node: {@code started} (a pull from the origin began),
     *     {@code reused} (this node pulled it already), or absent
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ParticipationData(@JsonProperty("stream_path") String streamPath, @JsonProperty("node_id") String nodeId,
                             @JsonProperty("action") String action,
                             @JsonProperty("subscribe_nodes") List<String> subscribeNodes,
                             @JsonProperty("relay") String relay) {
    }

    void register(Router router) {
        router.add(HttpMethod.POST, "/cluster/api/sessions/participation",
                ApiGuard.guarded(auth::joinAccess, this::participate));
    }

    private Response participate(Request r) {
        Participation p = ApiGuard.body(r, Participation.class, "{\"stream_path\": \"live/test\", \"node_id\": "
                + "\"edge-1\", \"action\": \"subscribe\"}");
        StreamPath path = AllocationRoutes.streamPath(p.streamPath());
        if (p.nodeId() == null || p.nodeId().isBlank()) {
            throw new BadRequestException("node_id is required");
        }
        if (!Participation.SUBSCRIBE.equals(p.action()) && !Participation.UNSUBSCRIBE.equals(p.action())) {
            throw new BadRequestException("action is subscribe or unsubscribe, got \"" + p.action() + "\"");
        }
        List<String> nodes = participations.apply(path.toString(), p.nodeId(), p.subscribe());
        String relay = p.subscribe() && p.nodeId().equals(selfId) ? relay(path) : null;
        return Envelope.ok(new ParticipationData(path.toString(), p.nodeId(), p.action(), nodes, relay));
    }

    /** Starts (or keeps) this node's pull of a stream live on another origin. */
    private String relay(StreamPath path) {
        Optional<DirectoryEntry> entry = directory.lookup(path.app(), path.streamId()).filter(DirectoryEntry::live);
        if (entry.isEmpty() || entry.get().originNode().equals(selfId) || !relays.canRelay(path)) {
            return null;
        }
        boolean pulling = relays.views().stream()
                .anyMatch(v -> v.direction().equals("pull") && v.streamPath().equals(path.toString()));
        relays.attach(path).exceptionally(e -> {
            log.info("relay of {} asked for by a participation did not start: {}", path, e.getMessage());
            return null;
        });
        return pulling ? "reused" : "started";
    }
}
