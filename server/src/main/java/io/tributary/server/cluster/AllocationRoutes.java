package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.tributary.cluster.allocation.Allocation;
import io.tributary.cluster.allocation.AllocationKind;
import io.tributary.cluster.allocation.AllocationManager;
import io.tributary.cluster.allocation.Candidate;
import io.tributary.cluster.allocation.NodeUrls;
import io.tributary.cluster.allocation.RedirectDecision;
import io.tributary.cluster.allocation.Ticket;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.media.StreamPath;
import io.tributary.server.http.BadRequestException;
import io.tributary.server.http.Jsons;
import io.tributary.server.http.Request;
import io.tributary.server.http.Response;
import io.tributary.server.http.Router;
import java.util.List;
import java.util.Locale;

/**
 * The seed's allocation and redirect API: {@code POST /cluster/api/allocate/publish}, {@code .../play} and
 * {@code GET /cluster/api/redirect/decision}, in the {@code {code, message, data}} envelope with snake_case
 * fields, behind the API key or a cluster token like the rest of {@code /cluster/api}.
 */
public final class AllocationRoutes {
    private static final int MAX_LIMIT = 100;

    private final ClusterAuth auth;
    private final AllocationManager allocation;

    AllocationRoutes(ClusterAuth auth, AllocationManager allocation) {
        this.auth = auth;
        this.allocation = allocation;
    }

    /** The body of both allocate calls; only {@code stream_path} is required. */
    public record AllocateRequest(@JsonProperty("stream_path") String streamPath,
                                  @JsonProperty("protocol") String protocol, @JsonProperty("limit") Integer limit) {
    }

    public record AllocationData(@JsonProperty("stream_path") String streamPath,
                                 @JsonProperty("protocol") String protocol,
                                 @JsonProperty("candidates") List<CandidateData> candidates,
                                 @JsonProperty("ticket") TicketData ticket) {
    }

    /** A node that can take the client, best first; {@code url} is where the client goes for its protocol. */
    public record CandidateData(@JsonProperty("server_id") String serverId,
                                @JsonProperty("advertise") String advertise, @JsonProperty("rtmp_port") int rtmpPort,
                                @JsonProperty("http_port") int httpPort, @JsonProperty("url") String url,
                                @JsonProperty("score") double score,
                                @JsonProperty("load") ClusterApiRoutes.Load load) {
    }

    /** @param expiresAt wall-clock ms */
    public record TicketData(@JsonProperty("id") String id, @JsonProperty("server_id") String serverId,
                             @JsonProperty("expires_at") long expiresAt) {
    }

    /** @param action "stay" or "redirect" */
    public record DecisionData(@JsonProperty("action") String action, @JsonProperty("server_id") String serverId,
                               @JsonProperty("url") String url, @JsonProperty("reason") String reason) {
    }

    public void register(Router router) {
        router.add(HttpMethod.POST, "/cluster/api/allocate/publish", guarded(r -> allocate(r, AllocationKind.PUBLISH)))
                .add(HttpMethod.POST, "/cluster/api/allocate/play", guarded(r -> allocate(r, AllocationKind.PLAY)))
                .add(HttpMethod.GET, "/cluster/api/redirect/decision", guarded(this::decision));
    }

    private Response allocate(Request r, AllocationKind kind) {
        AllocateRequest body = r.hasBody() ? Jsons.read(r.body(), AllocateRequest.class) : null;
        if (body == null) {
            throw new BadRequestException("give the stream, e.g. {\"stream_path\": \"live/test\"}");
        }
        StreamPath path = streamPath(body.streamPath());
        String protocol = protocol(body.protocol());
        int limit = body.limit() == null ? allocation.settings().candidateLimit() : body.limit();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
        }
        Allocation a = allocation.allocate(kind, path, protocol, limit);
        if (!a.granted()) {
            return Envelope.error(HttpResponseStatus.SERVICE_UNAVAILABLE, a.refusal());
        }
        List<CandidateData> candidates = a.candidates().stream().map(c -> candidate(c, path, protocol)).toList();
        Ticket t = a.ticket();
        return Envelope.ok(new AllocationData(path.toString(), protocol, candidates,
                new TicketData(t.id(), t.serverId(), t.expiresAt())));
    }

    private Response decision(Request r) {
        StreamPath path = streamPath(r.query("stream_path"));
        RedirectDecision d = allocation.decide(path, protocol(r.query("protocol")));
        return Envelope.ok(new DecisionData(d.action().name().toLowerCase(Locale.ROOT), d.serverId(), d.url(),
                d.reason()));
    }

    private static CandidateData candidate(Candidate c, StreamPath path, String protocol) {
        NodeRecord n = c.node();
        return new CandidateData(n.id(), n.advertise(), n.rtmpPort(), n.httpPort(), NodeUrls.url(n, path, protocol),
                c.shownScore(), ClusterApiRoutes.Load.of(n.load()));
    }

    static StreamPath streamPath(String text) {
        if (text == null || text.isBlank()) {
            throw new BadRequestException("stream_path is required, e.g. \"live/test\"");
        }
        int slash = text.indexOf('/');
        if (slash < 0 || !StreamIds.isValid(text.substring(0, slash))
                || !StreamIds.isValid(text.substring(slash + 1))) {
            throw new BadRequestException("stream_path must be {app}/{streamId} (letters, digits, '_', '-' or '.'), "
                    + "got \"" + text + "\"");
        }
        return StreamPath.parse(text);
    }

    /** The seed's default is "unknown"; names are compared lower-case. */
    private static String protocol(String given) {
        return given == null || given.isBlank() ? "unknown" : given.trim().toLowerCase(Locale.ROOT);
    }

    /** Refusals and bad requests answer in the envelope, not in the REST API's shape. */
    private Router.Handler guarded(Router.Handler handler) {
        return ApiGuard.guarded(auth::apiAccess, handler);
    }
}
