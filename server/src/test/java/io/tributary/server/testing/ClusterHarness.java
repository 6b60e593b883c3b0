package io.tributary.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.cluster.testing.RedisProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real cluster for process-level tests: a redis-server and nodes bound to 127.0.0.1, 127.0.0.2, ...
 * (each its own JVM from the packaged jar), sharing a secret and an API key.
 */
public final class ClusterHarness implements AutoCloseable {
    public static final String SECRET = "0123456789abcdef0123456789abcdef-cluster-test";
    public static final String API_KEY = "test-api-key";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisProcess redis;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    private final int rtmpPort = NodeProcess.freePort();
    private final int httpPort = NodeProcess.freePort();

    private ClusterHarness(RedisProcess redis) {
        this.redis = redis;
    }

    /** Starts Redis and {@code count} nodes with the given extra flags (e.g. a short heartbeat period). */
    public static ClusterHarness start(int count, String... extraArgs) {
        ClusterHarness h = new ClusterHarness(RedisProcess.start());
        try {
            for (int i = 1; i <= count; i++) {
                h.startNode(i, extraArgs);
            }
            return h;
        } catch (RuntimeException | Error e) {
            h.close();
            throw e;
        }
    }

    /** Node {@code i} (1-based) on 127.0.0.i. */
    public NodeProcess startNode(int i, String... extraArgs) {
        try {
            Path dir = Files.createTempDirectory("tributary-cluster-node" + i);
            dirs.add(dir);
            List<String> args = new ArrayList<>(List.of("--cluster", redis.uri(), "--cluster-secret", SECRET,
                    "--cluster-api-key", API_KEY, "--node-id", "node-" + i));
            args.addAll(List.of(extraArgs));
            NodeProcess node = NodeProcess.start(dir, "127.0.0." + i, rtmpPort, httpPort, args.toArray(String[]::new));
            nodes.add(node);
            return node;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public RedisProcess redis() {
        return redis;
    }

    /** Node {@code i}, 1-based. */
    public NodeProcess node(int i) {
        return nodes.get(i - 1);
    }

    /** server id → status ("alive", "suspect", "dead") as {@code observer} sees it; empty if it does not answer. */
    public Map<String, String> servers(NodeProcess observer) {
        Map<String, String> states = new LinkedHashMap<>();
        JsonNode data = api(observer, "/cluster/api/servers");
        if (data != null) {
            for (JsonNode s : data) {
                states.put(s.path("server_id").asText(), s.path("status").asText());
            }
        }
        return states;
    }

    /** stream path → origin node id of the live sessions {@code observer} knows. */
    public Map<String, String> sessions(NodeProcess observer) {
        Map<String, String> sessions = new LinkedHashMap<>();
        JsonNode data = api(observer, "/cluster/api/sessions");
        if (data != null) {
            for (JsonNode s : data) {
                sessions.put(s.path("stream_path").asText(), s.path("node_id").asText());
            }
        }
        return sessions;
    }

    /** The relays {@code observer} has ("pull") and serves ("serve"), as /cluster/api/relay/sessions shows them. */
    public List<JsonNode> relays(NodeProcess observer) {
        List<JsonNode> relays = new ArrayList<>();
        JsonNode data = api(observer, "/cluster/api/relay/sessions");
        if (data != null) {
            data.forEach(relays::add);
        }
        return relays;
    }

    /** The {@code data} of a /cluster/api answer from {@code node}; null if it does not answer 200. */
    public static JsonNode api(NodeProcess node, String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path)))
                    .header("X-Cluster-Api-Key", API_KEY).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("data") : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() {
        nodes.forEach(NodeProcess::close);
        redis.close();
        dirs.forEach(TestNode::deleteTree);
    }
}
