package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.relay.RelayTokens;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /cluster/api/relay/pull}: an edge asks this node, as the stream's origin, to let it pull. The
 * seed answers with a QUIC endpoint; Tributary's relays run over RTMP, so an accepted pull is answered with
 * the RTMP URL to play, on this node's internal address, carrying a cluster token scoped to that one stream
 * (valid for {@code cluster.tokenTtl}). A node that is not the stream's origin refuses, and says which node
 * is when it knows.
 */
final class RelayPullRoute {
    private final ClusterAuth auth;
    private final StreamRegistry registry;
    private final StreamDirectory directory;
    private final Membership membership;
    private final ClusterTokens tokens;

    /** @param tokens null on a node without a cluster secret (it serves no relays) */
    RelayPullRoute(ClusterAuth auth, StreamRegistry registry, StreamDirectory directory, Membership membership,
                   ClusterTokens tokens) {
        this.auth = auth;
        this.registry = registry;
        this.directory = directory;
        this.membership = membership;
        this.tokens = tokens;
    }

    /** The seed's PullStreamRequest; {@code quic_addr} is accepted and not used. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PullRequest(@JsonProperty("request_id") String requestId, @JsonProperty("stream_path") String streamPath,
                       @JsonProperty("requestor_id") String requestorId, @JsonProperty("session_id") String sessionId,
                       @JsonProperty("timestamp") Long timestamp) {
    }

    /**
     * The seed's PullStreamResponse, with the RTMP URL in place of a QUIC address.
     *
     * @param originId the stream's origin as this node's directory knows it, when this node is not it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PullResponse(@JsonProperty("request_id") String requestId, @JsonProperty("session_id") String sessionId,
                        @JsonProperty("accepted") boolean accepted, @JsonProperty("server_id") String serverId,
                        @JsonProperty("stream_path") String streamPath, @JsonProperty("rtmp_url") String rtmpUrl,
                        @JsonProperty("origin_id") String originId, @JsonProperty("reason") String reason) {
    }

    void register(Router router) {
        router.add(HttpMethod.POST, "/cluster/api/relay/pull", ApiGuard.guarded(auth::apiAccess, this::pull));
    }

    private Response pull(Request r) {
        PullRequest p = ApiGuard.body(r, PullRequest.class, "{\"request_id\": \"...\", \"stream_path\": "
                + "\"live/test\", \"requestor_id\": \"edge-1\"}");
        StreamPath path = AllocationRoutes.streamPath(p.streamPath());
        if (p.requestorId() == null || p.requestorId().isBlank()) {
            throw new BadRequestException("requestor_id is required");
        }
        String self = membership.selfId();
        Optional<String> refusal = refusal(path);
        if (refusal.isPresent()) {
            String origin = directory.lookup(path.app(), path.streamId()).filter(DirectoryEntry::live)
                    .map(DirectoryEntry::originNode).filter(o -> !o.equals(self)).orElse(null);
            return Envelope.ok(new PullResponse(p.requestId(), p.sessionId(), false, self, path.toString(), null,
                    origin, refusal.get()));
        }
        NodeRecord me = membership.record(self).orElseThrow();
        String token = tokens.issue(self, Map.of("scope", RelayTokens.scope(path)));
        String url = "rtmp://" + ClusterApiRoutes.host(me.internal()) + ":" + me.rtmpPort() + "/" + path.app() + "/"
                + path.streamId() + "?" + RelayAuthorizer.PARAM + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
        return Envelope.ok(new PullResponse(p.requestId(), p.sessionId(), true, self, path.toString(), url, null, null));
    }

    /** Why this node cannot serve a pull of {@code path}, or empty when it can. */
    private Optional<String> refusal(StreamPath path) {
        if (tokens == null) {
            return Optional.of("this node has no cluster secret and serves no relays");
        }
        Publisher p = registry.find(path).filter(s -> !s.isEnded()).map(LiveStream::publisher).orElse(null);
        if (p == null || "relay".equals(p.protocol())) {
            return Optional.of("this node is not the origin of " + path + "; relays pull only from origins");
        }
        return Optional.empty();
    }
}
