package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.media.Addresses;
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
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Monibuca seed's control-plane API under {@code /cluster/api}: this node's status, the servers it
 * knows and the stream sessions of the cluster, in the seed's snake_case envelope. It always requires the
 * API key or a cluster token.
 */
public final class ClusterApiRoutes {
    private static final Logger log = LoggerFactory.getLogger(ClusterApiRoutes.class);

    private final ClusterAuth auth;
    private final Membership membership;
    private final StreamDirectory directory;
    private final String storeEngine;
    private final RelayManager relays;

    ClusterApiRoutes(ClusterAuth auth, Membership membership, StreamDirectory directory, RelayManager relays,
                     String storeEngine) {
        this.auth = auth;
        this.relays = relays;
        this.membership = membership;
        this.directory = directory;
        this.storeEngine = storeEngine;
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

    /** A stream session: where a stream path is published. */
    public record Session(@JsonProperty("stream_path") String streamPath, @JsonProperty("node_id") String nodeId,
                          @JsonProperty("status") String status, @JsonProperty("version") long version,
                          @JsonProperty("start_time") long startTime) {
    }

    public void register(Router router) {
        router.add(HttpMethod.GET, "/cluster/api/status/local", guarded(r -> Envelope.ok(localStatus())))
                .add(HttpMethod.GET, "/cluster/api/servers", guarded(r -> Envelope.ok(servers())))
                .add(HttpMethod.GET, "/cluster/api/sessions", guarded(r -> Envelope.ok(sessions())))
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

    private List<Session> sessions() {
        return directory.entries().stream().filter(DirectoryEntry::live)
                .map(e -> new Session(e.path(), e.originNode(), e.status().jsonValue(), e.version(), e.startTime()))
                .toList();
    }

    private Router.Handler guarded(Router.Handler handler) {
        return r -> {
            Optional<String> refused = auth.apiAccess(r);
            if (refused.isPresent()) {
                log.warn("refused {} from {}: {}", r.path(), Addresses.format(r.remote()), refused.get());
                return Envelope.error(HttpResponseStatus.UNAUTHORIZED, refused.get());
            }
            return handler.handle(r);
        };
    }

    static String address(NodeRecord r) {
        return (r.internal().indexOf(':') >= 0 ? "[" + r.internal() + "]" : r.internal()) + ":" + r.httpPort();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

}
