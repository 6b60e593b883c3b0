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
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
        try (FakeNode silent = new FakeNode("relays-silent", closedPort)) {
            ApiClient api = new ApiClient(edge);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(api.get("/rest/v2/cluster/relays").json().get("unreachable")).anySatisfy(u -> {
                        assertThat(u.get("nodeId").asText()).isEqualTo("relays-silent");
                        assertThat(u.get("reason").asText()).isNotBlank();
                    }));
        }
    }

    @Test
    void whileOneCallWaitsForAHungNodeTheOthersGetThePreviousAnswerAtOnce() throws Exception {
        // Connections to this port complete (the kernel accepts them) but nothing ever answers.
        try (ServerSocket hung = new ServerSocket(0); FakeNode node = new FakeNode("relays-hung", hung.getLocalPort())) {
            BlockingQueue<Socket> arrivals = new LinkedBlockingQueue<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        arrivals.add(hung.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.start();
            ApiClient api = new ApiClient(edge);
            await().atMost(Duration.ofSeconds(15)).until(() -> api.get("/rest/v2/cluster/relays").json()
                    .get("unreachable").toString().contains("relays-hung"));
            List<Socket> earlier = new ArrayList<>();
            arrivals.drainTo(earlier);

            CompletableFuture<ApiClient.Reply> waiting = CompletableFuture.supplyAsync(
                    () -> api.get("/rest/v2/cluster/relays"));
            assertThat(arrivals.poll(10, TimeUnit.SECONDS)).as("the waiting call asks the hung node").isNotNull();
            long asked = System.nanoTime();
            ApiClient.Reply meanwhile = api.get("/rest/v2/cluster/relays");

            assertThat(Duration.ofNanos(System.nanoTime() - asked)).isLessThan(Duration.ofMillis(1500));
            assertThat(meanwhile.json().get("unreachable").toString()).contains("relays-hung");
            assertThat(waiting.get(10, TimeUnit.SECONDS).json().get("unreachable").toString()).contains("relays-hung");
            hung.close();
            acceptor.join(5000);
            earlier.addAll(arrivals);
            for (Socket s : earlier) {
                s.close();
            }
        }
    }

    /** A node record kept alive through the store whose HTTP port is {@code httpPort}: no node behind it. */
    private final class FakeNode implements AutoCloseable {
        private final String id;
        private final ClusterStore store;
        private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

        FakeNode(String id, int httpPort) {
            this.id = id;
            this.store = ClusterStores.open(redis.uri(), Duration.ofSeconds(5), dir);
            long now = System.currentTimeMillis();
            store.putNode(new NodeRecord(id, "i-" + id, "127.0.0.1", "127.0.0.1", 1, httpPort, List.of("edge"), "test",
                    0, -1, NodeLoad.IDLE, now, now));
            heartbeats.scheduleAtFixedRate(() -> store.heartbeat(id, "i-" + id, NodeLoad.IDLE,
                    System.currentTimeMillis()), 200, 200, TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            heartbeats.shutdownNow();
            heartbeats.awaitTermination(5, TimeUnit.SECONDS);
            store.removeNode(id);
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
