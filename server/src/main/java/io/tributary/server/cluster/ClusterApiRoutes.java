package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.relay.RelayManager;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.List;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.peers.Participations;
import io.tributary.cluster.peers.PeerSession;
import io.tributary.cluster.peers.PeerSync;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Request;
import java.util.TreeSet;

/**
 * The Monibuca seed's control-plane API under {@code /cluster/api}: this node's status, the servers it
 * knows and the stream sessions of the cluster, in the seed's snake_case envelope. It always requires the
 * API key or a cluster token.
 */
public final class ClusterApiRoutes {
    private final ClusterAuth auth;
    private final Membership membership;
    private final StreamDirectory directory;
    private final String storeEngine;
    private final RelayManager relays;
    private final Participations participations;
    private final PeerSync peers;

    /** @param peers null unless the node runs in peers mode */
    ClusterApiRoutes(ClusterAuth auth, Membership membership, StreamDirectory directory, RelayManager relays,
                     String storeEngine, Participations participations, PeerSync peers) {
        this.auth = auth;
        this.relays = relays;
        this.membership = membership;
        this.directory = directory;
        this.storeEngine = storeEngine;
        this.participations = participations;
        this.peers = peers;
    }

    /** GET /cluster/api/status/local. */
    public record LocalStatus(@JsonProperty("server_id") String serverId, @JsonProperty("address") String address,
                              @JsonProperty("has_sync") boolean hasSync, @JsonProperty("store") String store,
                              @JsonProperty("node_count") int nodeCount, @JsonProperty("session_count") int sessionCount,
                              @JsonProperty("relay_session_count") int relaySessionCount,
                              @JsonProperty("active_relay_sessions") int activeRelaySessions) {
    }

    /** One node as /servers lists it. */
    public record ServerSummary(@JsonProperty("server_id") String serverId, @JsonProperty("address") String address,
                                @JsonProperty("advertise") String advertise, @JsonProperty("status") String status,
                                @JsonProperty("roles") List<String> roles, @JsonProperty("rtmp_port") int rtmpPort,
                                @JsonProperty("http_port") int httpPort, @JsonProperty("version") String version,
                                @JsonProperty("heartbeat_age_ms") long heartbeatAgeMs,
                                @JsonProperty("load") Load load) {
    }

    /** A node's load in the seed's naming. */
    public record Load(@JsonProperty("cpu") double cpu, @JsonProperty("memory") double memory,
                       @JsonProperty("egress_bps") long egressBps, @JsonProperty("ingress_bps") long ingressBps,
                       @JsonProperty("publishers") int publishers, @JsonProperty("players") int players) {
        static Load of(NodeLoad l) {
            return new Load(round(l.cpu() * 100), round(l.memoryShare() * 100), l.egressBitsPerSecond(),
                    l.ingressBitsPerSecond(), l.publishers(), l.players());
        }
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/cluster/api/status/local", guarded(r -> Envelope.ok(localStatus())))
                .add(HttpMethod.GET, "/cluster/api/servers", guarded(r -> Envelope.ok(servers())))
                .add(HttpMethod.GET, "/cluster/api/sessions", this::sessions)
                .add(HttpMethod.GET, "/cluster/api/relay/sessions", guarded(r -> Envelope.ok(relays.views())))
                .onMiss("/cluster/api/", (path, allowed) -> allowed.isEmpty()
                        ? Envelope.error(HttpResponseStatus.NOT_FOUND, "route not found: " + path)
                        : Envelope.error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed on " + path));
    }

    private LocalStatus localStatus() {
        NodeRecord self = membership.record(membership.selfId()).orElse(null);
        List<io.tributary.cluster.relay.RelayView> relayViews = relays.views();
        int pulls = (int) relayViews.stream().filter(v -> v.direction().equals("pull")).count();
        int live = (int) relayViews.stream().filter(v -> v.direction().equals("pull") && v.state().equals("live"))
                .count();
        return new LocalStatus(membership.selfId(), self == null ? null : address(self), membership.storeAvailable(),
                storeEngine, membership.nodes().size(), sessions().size(), pulls, live);
    }

    List<ServerSummary> servers() {
        return membership.nodes().stream().map(ClusterApiRoutes::summary).toList();
    }

    private static ServerSummary summary(NodeView v) {
        NodeRecord r = v.record();
        return new ServerSummary(r.id(), address(r), r.advertise(), v.state().jsonValue(), r.roles(), r.rtmpPort(),
                r.httpPort(), r.version(), v.heartbeatAgeMillis(), Load.of(r.load()));
    }

    /**
     * The live sessions, sorted by stream path, each with the nodes that have viewers of it; with
     * {@code ?state=all}, in peers mode, this node's copy of every record for another node's sync.
     */
    private Response sessions(Request r) throws Exception {
        String state = r.query("state");
        if (state == null || state.equals("live")) {
            return guarded(x -> Envelope.ok(sessions())).handle(r);
        }
        return ApiGuard.guarded(auth::joinAccess, x -> {
            if (!state.equals("all")) {
                throw new BadRequestException("state is live (the default) or all, got \"" + state + "\"");
            }
            if (peers == null) {
                throw new BadRequestException("state=all lists the copy a node keeps in peers mode; this node uses "
                        + "the " + storeEngine + " store");
            }
            return Envelope.ok(peers.copy());
        }).handle(r);
    }

    private List<PeerSession> sessions() {
        return directory.entries().stream().filter(DirectoryEntry::live)
                .map(e -> PeerSession.of(e, subscribers(e.path()))).toList();
    }

    /**
     * The nodes with viewers of a stream: those that said so (participation deltas) and those whose latest
     * heartbeat counts viewers of it.
     */
    private List<String> subscribers(String path) {
        TreeSet<String> nodes = new TreeSet<>(participations.of(path));
        for (NodeView v : membership.nodes()) {
            if (v.state() != NodeState.DEAD
                    && v.record().load().viewersOf(path).viewers().values().stream().anyMatch(n -> n > 0)) {
                nodes.add(v.record().id());
            }
        }
        return List.copyOf(nodes);
    }

    private Router.Handler guarded(Router.Handler handler) {
        return ApiGuard.guarded(auth::apiAccess, handler);
    }

    static String address(NodeRecord r) {
        return host(r.internal()) + ":" + r.httpPort();
    }

    /** A host as it is written before {@code :port}: an IPv6 address in brackets. */
    static String host(String address) {
        return address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

}
