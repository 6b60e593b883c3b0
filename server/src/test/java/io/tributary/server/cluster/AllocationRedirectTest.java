package io.tributary.server.cluster;

import static io.tributary.server.cluster.ClusterCalls.API_KEY;
import static io.tributary.server.cluster.ClusterCalls.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.testing.RedisProcess;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes sharing Redis; one has a subscriber threshold of 0, so its first player makes it full. With
 * {@code cluster.routing.redirect} on, its next HTTP-FLV player is sent (302) to the other node; with it off,
 * the player plays where it asked.
 */
class AllocationRedirectTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static RedisProcess redis;
    private static TestNode other;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        other = node("spare-b", 2000, false);
    }

    @AfterAll
    static void stop() {
        other.close();
        redis.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    /**
     * Ticket TTL 0: this test is about thresholds and the 302, so earlier redirects must not count as players
     * on the other node (the ticket rules have their own tests). No CPU limit: the test JVM's CPU use must
     * not decide.
     */
    private static TestNode node(String id, int subscriberThreshold, boolean redirect) {
        return TestNode.builder()
                .set("nodeId", id)
                .set("cluster.store", redis.uri())
                .set("cluster.secret", SECRET)
                .set("cluster.apiKey", API_KEY)
                .set("cluster.heartbeatPeriod", "300ms")
                .set("cluster.routing.cpuThreshold", "100")
                .set("cluster.routing.subscriberThreshold", String.valueOf(subscriberThreshold))
                .set("cluster.allocation.ticketTtl", "0s")
                .set("cluster.routing.redirect", String.valueOf(redirect))
                .start();
    }

    /** A node with a threshold of 0 and one player on live/busy: full, while the other node is idle. */
    private TestNode fullNode(String id, boolean redirect) throws Exception {
        TestNode full = node(id, 0, redirect);
        open.add(full);
        Membership m = full.node().cluster().membership();
        await().atMost(TIMEOUT).until(() -> m.nodes().stream().anyMatch(v -> v.record().id().equals("spare-b")
                && v.state() == NodeState.ALIVE));
        TestRtmp publishers = new TestRtmp();
        open.add(publishers);
        publishers.publish(full, "busy");
        HttpResponse<InputStream> first = flv(full, "/live/busy.flv");
        open.add(first.body());
        assertThat(first.statusCode()).as("the first player fits: 0 players is not above 0").isEqualTo(200);
        await().atMost(TIMEOUT).until(() -> m.record(id).map(r -> r.load().players()).orElse(0) >= 1);
        return full;
    }

    private static HttpResponse<InputStream> flv(TestNode node, String pathAndQuery) throws Exception {
        return ApiClient.http().send(HttpRequest.newBuilder(URI.create(node.httpUrl(pathAndQuery))).timeout(TIMEOUT)
                .build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static JsonNode decision(TestNode node) {
        return new ClusterCalls(node).get("/cluster/api/redirect/decision?stream_path=live/busy&protocol=flv",
                "X-Cluster-Api-Key", API_KEY).json().get("data");
    }

    @Test
    void aFullNodeRedirectsItsNextFlvPlayerToTheOtherNodeWithThePathAndQuery() throws Exception {
        TestNode full = fullNode("full-a", true);

        HttpResponse<InputStream> second = flv(full, "/live/busy.flv?token=abc&x=1");
        open.add(second.body());

        assertThat(second.statusCode()).isEqualTo(302);
        assertThat(second.headers().firstValue("Location"))
                .hasValue("http://127.0.0.1:" + other.node().httpPort() + "/live/busy.flv?token=abc&x=1");
        JsonNode d = decision(full);
        assertThat(d.get("action").asText()).isEqualTo("redirect");
        assertThat(d.get("server_id").asText()).isEqualTo("spare-b");
        assertThat(d.get("url").asText()).isEqualTo(other.httpUrl("/live/busy.flv"));
        assertThat(d.get("reason").asText()).startsWith("full-a is above the subscriber threshold (1 players > 0)");
    }

    @Test
    void withRedirectOffAFullNodeStillPlaysTheFlvPlayer() throws Exception {
        TestNode full = fullNode("full-c", false);

        HttpResponse<InputStream> second = flv(full, "/live/busy.flv");
        open.add(second.body());

        assertThat(decision(full).get("action").asText()).as("the API still says where players should go")
                .isEqualTo("redirect");
        assertThat(second.statusCode()).isEqualTo(200);
        assertThat(second.headers().firstValue("Content-Type")).hasValue("video/x-flv");
    }
}
