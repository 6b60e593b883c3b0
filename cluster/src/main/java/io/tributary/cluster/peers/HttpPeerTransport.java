package io.tributary.cluster.peers;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.comm.ClusterTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Peer sync over the nodes' HTTP ports: the seed's {@code /cluster/api} requests, each with a cluster token
 * addressed to the peer ({@code Authorization: Bearer}), answered in the {@code {code, message, data}}
 * envelope. A seed known only by its address is asked its node id first ({@code GET /health}), since a token
 * names the node it is for. A request not answered within {@code timeout} (the heartbeat TTL) fails.
 */
public final class HttpPeerTransport implements PeerTransport {
    private static final TypeReference<List<PeerSummary>> SUMMARIES = new TypeReference<>() {
    };
    private static final TypeReference<List<PeerSession>> SESSIONS = new TypeReference<>() {
    };

    private final HttpClient http;
    private final String scheme;
    private final ClusterTokens tokens;
    private final Duration timeout;
    private final Map<String, String> idsByAddress = new ConcurrentHashMap<>();

    public HttpPeerTransport(HttpClient http, String scheme, ClusterTokens tokens, Duration timeout) {
        this.http = http;
        this.scheme = scheme;
        this.tokens = tokens;
        this.timeout = timeout;
    }

    @Override
    public CompletableFuture<HeartbeatReply> heartbeat(Target to, PeerSummary self) {
        return post(to, "/cluster/api/heartbeat", Map.of("summary", self)).thenApply(data -> {
            String id = data.path("server_id").asText(null);
            return new HeartbeatReply(id, Json.mapper().convertValue(data.path("summaries"), SUMMARIES));
        });
    }

    @Override
    public CompletableFuture<List<PeerSummary>> syncServers(Target to, List<PeerSummary> known) {
        return post(to, "/cluster/api/servers/sync", Map.of("summaries", known))
                .thenApply(data -> Json.mapper().convertValue(data.path("summaries"), SUMMARIES));
    }

    @Override
    public CompletableFuture<List<PeerSession>> sessions(Target to) {
        return send(to, "/cluster/api/sessions?state=all", null)
                .thenApply(data -> Json.mapper().convertValue(data, SESSIONS));
    }

    @Override
    public CompletableFuture<Void> syncSessions(Target to, String from, List<PeerSession> sessions) {
        return post(to, "/cluster/api/sessions/sync", Map.of("server_id", from, "sessions", sessions))
                .thenApply(data -> null);
    }

    @Override
    public CompletableFuture<Void> participation(Target to, Participation delta) {
        return post(to, "/cluster/api/sessions/participation", delta).thenApply(data -> null);
    }

    private CompletableFuture<JsonNode> post(Target to, String path, Object body) {
        try {
            return send(to, path, Json.mapper().writeValueAsBytes(body));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new UncheckedIOException(e));
        }
    }

    /** Sends a request (a GET when {@code body} is null) and gives the envelope's {@code data}. */
    private CompletableFuture<JsonNode> send(Target to, String path, byte[] body) {
        return nodeId(to).thenCompose(id -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri(to.address(), path)).timeout(timeout)
                    .header("Authorization", "Bearer " + tokens.issue(id, Map.of()));
            if (body != null) {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body));
            }
            return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        }).thenApply(r -> {
            if (r.statusCode() == 401 && to.nodeId() == null) {
                idsByAddress.remove(to.address().toString()); // another node may answer at that address now
            }
            if (r.statusCode() != 200) {
                throw new CompletionException(new IOException(to.address() + path + " answered HTTP " + r.statusCode()
                        + ": " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)));
            }
            try {
                return Json.mapper().readTree(r.body()).path("data");
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** The peer's node id: known, or asked of its health check once. */
    private CompletableFuture<String> nodeId(Target to) {
        if (to.nodeId() != null) {
            return CompletableFuture.completedFuture(to.nodeId());
        }
        String key = to.address().toString();
        String known = idsByAddress.get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        HttpRequest health = HttpRequest.newBuilder(uri(to.address(), "/health")).timeout(timeout).build();
        return http.sendAsync(health, HttpResponse.BodyHandlers.ofByteArray()).thenApply(r -> {
            try {
                String id = Json.mapper().readTree(r.body()).path("nodeId").asText(null);
                if (id == null || id.isEmpty()) {
                    throw new IOException(key + "/health names no node id (HTTP " + r.statusCode() + ")");
                }
                idsByAddress.put(key, id);
                return id;
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        });
    }

    private URI uri(PeerAddress a, String path) {
        return URI.create(scheme + "://" + a + path);
    }
}
