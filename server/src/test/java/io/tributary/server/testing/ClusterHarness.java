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
 * A real cluster for process-level tests: nodes bound to 127.0.0.1, 127.0.0.2, ... (each its own JVM from the
 * packaged jar), sharing a secret and an API key, on a redis-server, or in peers mode with no store (node 1
 * being every node's seed).
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
        return start(new ClusterHarness(RedisProcess.start()), count, extraArgs);
    }

    /** Starts {@code count} nodes in peers mode, each given only node 1 as its seed. */
    public static ClusterHarness startPeers(int count, String... extraArgs) {
        return start(new ClusterHarness(null), count, extraArgs);
    }

    private static ClusterHarness start(ClusterHarness h, int count, String... extraArgs) {
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
            NodeProcess node = launch(i, dir, extraArgs);
            nodes.add(node);
            return node;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts node {@code i} again, on its data directory, after it stopped or was killed. */
    public NodeProcess restartNode(int i, String... extraArgs) {
        NodeProcess node = launch(i, dirs.get(i - 1), extraArgs);
        nodes.set(i - 1, node);
        return node;
    }

    private NodeProcess launch(int i, Path dir, String... extraArgs) {
        List<String> args = new ArrayList<>(redis != null ? List.of("--cluster", redis.uri())
                : List.of("--cluster", "peers", "--seeds", "127.0.0.1:" + httpPort));
        args.addAll(List.of("--cluster-secret", SECRET, "--cluster-api-key", API_KEY, "--node-id", "node-" + i));
        args.addAll(List.of(extraArgs));
        return NodeProcess.start(dir, "127.0.0." + i, rtmpPort, httpPort, args.toArray(String[]::new));
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
        HttpResponse<String> r = post(node, path, null, API_KEY);
        try {
            return r != null && r.statusCode() == 200 ? JSON.readTree(r.body()).path("data") : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** A /cluster/api call with {@code key} (a POST of {@code json}, or a GET when it is null); null if unanswered. */
    public static HttpResponse<String> post(NodeProcess node, String path, String json, String key) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.httpUrl(path)))
                    .header("X-Cluster-Api-Key", key).timeout(Duration.ofSeconds(2));
            if (json != null) {
                b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
        if (redis != null) {
            redis.close();
        }
        dirs.forEach(TestNode::deleteTree);
    }
}
