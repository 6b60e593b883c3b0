package io.tributary.server.cluster;

import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.cluster.node.NodeRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Asks another node something on its internal address, on behalf of an operator using this one: the
 * dashboard's cluster-wide views (every node's relays) and actions (drain that node). Each request
 * carries a cluster token addressed to that node, as the notifier's do.
 */
public final class PeerClient {

    /** A node's answer: status and body. */
    public record Reply(int status, String body) {
    }

    private final ClusterTokens tokens;
    private final HttpClient http;
    private final String scheme;
    private final Duration timeout;

    /** @param tokens null on a node without a cluster secret: it can ask no other node anything */
    PeerClient(ClusterTokens tokens, HttpClient http, String scheme, Duration timeout) {
        this.tokens = tokens;
        this.http = http;
        this.scheme = scheme;
        this.timeout = timeout;
    }

    /** Whether this node can call others (it has a cluster secret). */
    public boolean enabled() {
        return tokens != null;
    }

    /** How long one call may take. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Sends {@code method path} (no body) to {@code node}; completes with its answer, or exceptionally when
     * it cannot be reached within the timeout.
     */
    public CompletableFuture<Reply> send(NodeRecord node, String method, String path) {
        if (tokens == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "this node has no cluster secret, so it cannot call other nodes"));
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://" + ClusterApiRoutes.address(node) + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + tokens.issue(node.id(), Map.of()))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(r -> new Reply(r.statusCode(), r.body()));
    }
}
