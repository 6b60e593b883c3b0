package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.cluster.peers.PeerSession;
import io.tributary.cluster.peers.PeerSummary;
import io.tributary.cluster.peers.PeerSync;
import io.tributary.cluster.peers.PeerTransport;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.List;

/**
 * The seed's peer-sync endpoints: {@code POST /cluster/api/heartbeat}, {@code /servers/sync} and
 * {@code /sessions/sync}. They take the API key or a cluster token, from a node this node may not know yet
 * (that is how it joins). A node on a store answers {@code 503}: its nodes meet through the store.
 */
final class PeerRoutes {
    private final ClusterAuth auth;
    private final PeerSync peers;
    private final String storeEngine;

    /** @param peers null unless the node runs in peers mode */
    PeerRoutes(ClusterAuth auth, PeerSync peers, String storeEngine) {
        this.auth = auth;
        this.peers = peers;
        this.storeEngine = storeEngine;
    }

    /** {@code POST /cluster/api/heartbeat}: the sender's summary. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record HeartbeatRequest(@JsonProperty("summary") PeerSummary summary) {
    }

    /** The heartbeat's answer: who answers, and every node it knows (itself included). */
    record HeartbeatData(@JsonProperty("server_id") String serverId,
                         @JsonProperty("summaries") List<PeerSummary> summaries) {
    }

    /** {@code POST /cluster/api/servers/sync}, and its answer. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Summaries(@JsonProperty("summaries") List<PeerSummary> summaries) {
    }

    /** {@code POST /cluster/api/sessions/sync}: records written on {@code serverId}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SessionsRequest(@JsonProperty("server_id") String serverId,
                           @JsonProperty("sessions") List<PeerSession> sessions) {
    }

    /** How many of the sessions sent this node took (the others it had, or had newer). */
    record SessionsData(@JsonProperty("received") int received, @JsonProperty("merged") int merged) {
    }

    void register(Router router) {
        router.add(HttpMethod.POST, "/cluster/api/heartbeat", guarded(this::heartbeat))
                .add(HttpMethod.POST, "/cluster/api/servers/sync", guarded(this::servers))
                .add(HttpMethod.POST, "/cluster/api/sessions/sync", guarded(this::sessions));
    }

    private Response heartbeat(Request r) {
        HeartbeatRequest body = ApiGuard.body(r, HeartbeatRequest.class, "{\"summary\": {\"server_id\": \"node-2\", "
                + "\"address\": \"10.0.0.2:5080\"}}");
        if (body.summary() == null || !body.summary().valid()) {
            throw new BadRequestException("summary.server_id and summary.address (host:port) are required");
        }
        PeerTransport.HeartbeatReply reply = peers.onHeartbeat(body.summary());
        return Envelope.ok(new HeartbeatData(reply.serverId(), reply.summaries()));
    }

    private Response servers(Request r) {
        Summaries body = ApiGuard.body(r, Summaries.class, "{\"summaries\": [{\"server_id\": \"node-1\", "
                + "\"address\": \"10.0.0.1:5080\"}]}");
        if (body.summaries() == null) {
            throw new BadRequestException("summaries is required");
        }
        return Envelope.ok(new Summaries(peers.onServers(body.summaries())));
    }

    private Response sessions(Request r) {
        SessionsRequest body = ApiGuard.body(r, SessionsRequest.class, "{\"server_id\": \"node-1\", \"sessions\": [...]}");
        if (body.sessions() == null) {
            throw new BadRequestException("sessions is required");
        }
        return Envelope.ok(new SessionsData(body.sessions().size(), peers.onSessions(body.sessions())));
    }

    private Router.Handler guarded(Router.Handler handler) {
        return ApiGuard.guarded(auth::joinAccess, r -> peers == null
                ? Envelope.error(HttpResponseStatus.SERVICE_UNAVAILABLE, "peer sync is off: this node uses the "
                        + storeEngine + " store, and its nodes meet there (start the nodes with --cluster peers)")
                : handler.handle(r));
    }
}
