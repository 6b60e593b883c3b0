package io.tributary.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /health}, as a load balancer or an operator's curl sees it. */
class HealthRouteTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path dataDir;

    @Test
    void aServingNodeAnswers200WithItsStatus() {
        try (TestNode node = TestNode.start()) {
            Reply r = new ApiClient(node).get("/health");

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).hasValue("application/json");
            assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
            assertThat(r.fieldNames()).containsExactly("status", "nodeId", "uptimeSeconds", "publishers", "players");
            assertThat(r.json().get("status").asText()).isEqualTo("serving");
            assertThat(r.json().get("nodeId").asText()).isEqualTo(node.node().nodeId()).startsWith("node-");
            assertThat(r.json().get("uptimeSeconds").asLong()).isBetween(0L, 5L);
            assertThat(r.json().get("publishers").asInt()).isZero();
            assertThat(r.json().get("players").asInt()).isZero();
        }
    }

    @Test
    void healthCountsPublishersAndPlayers() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try (TestNode node = TestNode.start()) {
            RtmpClient client = new RtmpClient(group, NioSocketChannel.class);
            ApiClient api = new ApiClient(node);
            RtmpSession publisher = connect(client, node);
            publisher.publish("one").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            RtmpSession second = connect(client, node);
            second.publish("two").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (int i = 0; i < 3; i++) {
                connect(client, node).play(i == 0 ? "two" : "one", frame -> {
                }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }

            await().atMost(TIMEOUT).untilAsserted(() -> {
                Reply r = api.get("/health");
                assertThat(r.json().get("publishers").asInt()).isEqualTo(2);
                assertThat(r.json().get("players").asInt()).isEqualTo(3);
            });

            second.close();
            await().atMost(TIMEOUT).until(() -> api.get("/health").json().get("publishers").asInt() == 1);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aNodeKeepsItsIdAcrossRestarts() {
        String first;
        try (TestNode node = TestNode.builder().dataDir(dataDir).start()) {
            first = new ApiClient(node).get("/health").json().get("nodeId").asText();
        }

        try (TestNode node = TestNode.builder().dataDir(dataDir).start()) {
            assertThat(new ApiClient(node).get("/health").json().get("nodeId").asText()).isEqualTo(first);
        }
    }

    @Test
    void aConfiguredNodeIdIsTheOneReported() {
        try (TestNode node = TestNode.builder().set("nodeId", "edge-7").start()) {
            assertThat(new ApiClient(node).get("/health").json().get("nodeId").asText()).isEqualTo("edge-7");
        }
    }

    private static RtmpSession connect(RtmpClient client, TestNode node) throws Exception {
        return client.connect(RtmpUrl.parse(node.rtmpUrl("live", "x")), TIMEOUT)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
}
