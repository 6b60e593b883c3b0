package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.ClusterStores;
import io.tributary.cluster.testing.RedisProcess;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Any node lists every relay session of the cluster, gathered from the nodes that hold them. */
class ClusterRelaysRouteTest {
    private static RedisProcess redis;
    private static TestNode origin;
    private static TestNode edge;
    private static TestRtmp rtmp;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        origin = node("relays-origin", "origin");
        edge = node("relays-edge", "edge");
        rtmp = new TestRtmp();
    }

    @AfterAll
    static void stop() {
        rtmp.close();
        edge.close();
        origin.close();
        redis.close();
    }

    @Test
    void theOriginListsTheEdgesPullAndItsOwnServing() {
        rtmp.publishFed(origin.node().rtmpPort(), "relayed");
        TestRtmp.Playing viewer = rtmp.play(edge.node().rtmpPort(), "relayed");
        await().atMost(Duration.ofSeconds(15)).until(() -> viewer.frames().get() > 10);

        ApiClient api = new ApiClient(origin);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode relays = api.get("/rest/v2/cluster/relays").json();
            assertThat(relays.get("unreachable")).isEmpty();
            List<String> rows = new ArrayList<>();
            relays.get("sessions").forEach(s -> rows.add(s.get("nodeId").asText() + " " + s.get("direction").asText()
                    + " " + s.get("streamPath").asText() + " " + s.get("originNode").asText() + " "
                    + s.get("state").asText()));
            assertThat(rows).contains("relays-edge pull live/relayed relays-origin live",
                    "relays-origin serve live/relayed relays-origin live");
        });
        JsonNode pull = find(api.get("/rest/v2/cluster/relays").json(), "relays-edge");
        assertThat(pull.get("subscriberCount").asInt()).isEqualTo(1);
        assertThat(pull.get("frameCount").asLong()).isPositive();
        assertThat(pull.get("source").asText()).endsWith(":" + origin.node().rtmpPort());
    }

    @Test
    void aLiveNodeThatDoesNotAnswerIsNamedRatherThanLeftOut() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        // A node that heartbeats through the store but whose HTTP port answers nothing (hung, or firewalled).
        ClusterStore store = ClusterStores.open(redis.uri(), Duration.ofSeconds(5), dir);
        long now = System.currentTimeMillis();
        store.putNode(new NodeRecord("relays-silent", "i-silent", "127.0.0.1", "127.0.0.1", 1, closedPort,
                List.of("edge"), "test", 0, -1, NodeLoad.IDLE, now, now));
        try {
            ApiClient api = new ApiClient(edge);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                store.heartbeat("relays-silent", "i-silent", NodeLoad.IDLE, System.currentTimeMillis());
                JsonNode relays = api.get("/rest/v2/cluster/relays").json();
                assertThat(relays.get("unreachable")).anySatisfy(u -> {
                    assertThat(u.get("nodeId").asText()).isEqualTo("relays-silent");
                    assertThat(u.get("reason").asText()).isNotBlank();
                });
            });
        } finally {
            store.removeNode("relays-silent");
            store.close();
        }
    }

    private static JsonNode find(JsonNode relays, String nodeId) {
        for (JsonNode s : relays.get("sessions")) {
            if (s.get("nodeId").asText().equals(nodeId)) {
                return s;
            }
        }
        throw new AssertionError("no session of " + nodeId + " in " + relays);
    }

    private static TestNode node(String id, String roles) {
        return TestNode.builder().set("nodeId", id).set("roles", roles).set("cluster.store", redis.uri())
                .set("cluster.secret", ClusterCalls.SECRET).set("cluster.heartbeatPeriod", "500ms").start();
    }
}
