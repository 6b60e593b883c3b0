package io.tributary.server.cluster;

import io.tributary.cluster.comm.ClusterSecrets;
import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * What another node, or an operator's script, sends to a node's internal endpoints: requests with the API
 * key or a cluster token, and the tokens themselves, valid or not in every way a token can be wrong.
 */
final class ClusterCalls {
    static final String SECRET = "test-cluster-secret-0123456789abcdef";
    static final String OTHER_SECRET = "another-cluster-secret-0123456789abcdef";
    static final String API_KEY = "test-cluster-api-key";
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final TestNode node;
    private final ApiClient api;

    ClusterCalls(TestNode node) {
        this.node = node;
        this.api = new ApiClient(node);
    }

    /** A single node on the embedded store with the test secret and API key, plus {@code more} settings. */
    static TestNode startNode(Map<String, String> more) {
        TestNode.Builder b = TestNode.builder().set("cluster.secret", SECRET).set("cluster.apiKey", API_KEY);
        more.forEach(b::set);
        return b.start();
    }

    String nodeId() {
        return node.node().nodeId();
    }

    /** A token as {@code issuer} would send it to {@code audience}, signed with {@code secret} at {@code now}. */
    static String token(String issuer, String audience, String secret, Instant now) {
        return new ClusterTokens(issuer, ClusterSecrets.of(secret), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Clock.fixed(now, ZoneOffset.UTC)).issue(audience, Map.of());
    }

    /** A valid token for this node from a node it knows: itself, the only member of a one-node cluster. */
    String validToken() {
        return token(nodeId(), nodeId(), SECRET, Instant.now());
    }

    ApiClient.Reply get(String path, String... headers) {
        return api.send(request(path, headers).GET().build());
    }

    ApiClient.Reply post(String path, String body, String... headers) {
        HttpRequest.Builder b = request(path, headers);
        if (body == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        return api.send(b.build());
    }

    ApiClient.Reply postBytes(String path, byte[] body, String... headers) {
        return api.send(request(path, headers).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Sends with the node's valid cluster token. */
    ApiClient.Reply postAsNode(String path, String body) {
        return post(path, body, "Authorization", "Bearer " + validToken());
    }

    ApiClient api() {
        return api;
    }

    private HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).timeout(TIMEOUT);
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b;
    }
}
