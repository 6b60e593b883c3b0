package io.tributary.server.cluster;

import static io.tributary.server.cluster.ClusterCalls.API_KEY;
import static io.tributary.server.cluster.ClusterCalls.OTHER_SECRET;
import static io.tributary.server.cluster.ClusterCalls.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The seed's control-plane API on a single node: never open, and answering in its envelope. */
class ClusterApiRoutesTest {
    private static TestNode node;
    private static ClusterCalls calls;

    @BeforeAll
    static void start() {
        node = ClusterCalls.startNode(Map.of());
        calls = new ClusterCalls(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void assertRefused(ApiClient.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        JsonNode json = reply.json();
        assertThat(json.get("code").asInt()).isEqualTo(401);
        assertThat(json.get("message").asText()).isNotBlank();
        assertThat(json.has("data")).isTrue();
        assertThat(json.get("data").isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cluster/api/status/local", "/cluster/api/servers", "/cluster/api/sessions",
            "/cluster/api/relay/sessions"})
    void everyEndpointRefusesACallerWithoutCredentials(String path) {
        ApiClient.Reply reply = calls.get(path);

        assertRefused(reply);
        assertThat(reply.json().get("message").asText()).contains("X-Cluster-Api-Key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/cluster/api/status/local", "/cluster/api/servers", "/cluster/api/sessions",
            "/cluster/api/relay/sessions"})
    void everyEndpointAnswersInTheEnvelopeWithTheKey(String path) {
        ApiClient.Reply reply = calls.get(path, "X-Cluster-Api-Key", API_KEY);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.fieldNames()).containsExactly("code", "message", "data");
        assertThat(reply.json().get("code").asInt()).isZero();
        assertThat(reply.json().get("message").asText()).isEqualTo("success");
    }

    @Test
    void aWrongKeyIsRefusedInTheHeaderAndAsBearer() {
        assertRefused(calls.get("/cluster/api/servers", "X-Cluster-Api-Key", API_KEY + "x"));
        assertRefused(calls.get("/cluster/api/servers", "Authorization", "Bearer " + API_KEY + "x"));
        assertRefused(calls.get("/cluster/api/servers", "Authorization", "Basic " + API_KEY));
    }

    @Test
    void theKeyIsTakenAsABearerToken() {
        assertThat(calls.get("/cluster/api/servers", "Authorization", "Bearer " + API_KEY).status()).isEqualTo(200);
    }

    @Test
    void aClusterTokenForThisNodeIsTaken() {
        assertThat(calls.get("/cluster/api/servers", "Authorization", "Bearer " + calls.validToken()).status())
                .isEqualTo(200);
    }

    @Test
    void clusterTokensThatAreWrongInAnyWayAreRefused() {
        String self = calls.nodeId();
        Instant now = Instant.now();
        List<String> wrong = List.of(
                ClusterCalls.token(self, self, OTHER_SECRET, now),
                ClusterCalls.token(self, self, SECRET, now.minus(Duration.ofMinutes(10))),
                ClusterCalls.token(self, "node-elsewhere", SECRET, now),
                ClusterCalls.token("node-stranger", self, SECRET, now));
        for (String token : wrong) {
            assertRefused(calls.get("/cluster/api/servers", "Authorization", "Bearer " + token));
        }
    }

    @Test
    void statusLocalDescribesThisNode() {
        JsonNode data = calls.get("/cluster/api/status/local", "X-Cluster-Api-Key", API_KEY).json().get("data");

        assertThat(data.get("server_id").asText()).isEqualTo(calls.nodeId());
        assertThat(data.get("address").asText()).isEqualTo("127.0.0.1:" + node.node().httpPort());
        assertThat(data.get("store").asText()).isEqualTo("embedded");
        assertThat(data.get("has_sync").asBoolean()).isTrue();
        assertThat(data.get("node_count").asInt()).isEqualTo(1);
    }

    @Test
    void serversListsThisNodeAlive() {
        JsonNode data = calls.get("/cluster/api/servers", "X-Cluster-Api-Key", API_KEY).json().get("data");

        assertThat(data).hasSize(1);
        JsonNode self = data.get(0);
        assertThat(self.get("server_id").asText()).isEqualTo(calls.nodeId());
        assertThat(self.get("status").asText()).isEqualTo("alive");
        assertThat(self.get("rtmp_port").asInt()).isEqualTo(node.node().rtmpPort());
        assertThat(self.get("http_port").asInt()).isEqualTo(node.node().httpPort());
        assertThat(self.get("roles")).extracting(JsonNode::asText).containsExactly("origin", "edge");
        assertThat(self.get("load").has("cpu")).isTrue();
    }

    @Test
    void relaySessionsIsAnEmptyListUntilRelaysExist() {
        JsonNode data = calls.get("/cluster/api/relay/sessions", "X-Cluster-Api-Key", API_KEY).json().get("data");

        assertThat(data.isArray()).isTrue();
        assertThat(data).isEmpty();
    }

    @Test
    void sessionsListsTheStreamsPublishedHereSortedByPath() {
        try (TestRtmp encoders = new TestRtmp()) {
            encoders.publish(node, "sessions-zeta");
            encoders.publish(node, "sessions-alpha");
            encoders.publish(node, "sessions-mid");

            List<String> paths = new ArrayList<>();
            for (JsonNode s : calls.get("/cluster/api/sessions", "X-Cluster-Api-Key", API_KEY).json().get("data")) {
                if (s.get("stream_path").asText().startsWith("live/sessions-")) {
                    paths.add(s.get("stream_path").asText());
                    assertThat(s.get("node_id").asText()).isEqualTo(calls.nodeId());
                    assertThat(s.get("status").asText()).isEqualTo("broadcasting");
                    assertThat(s.get("version").asLong()).isPositive();
                    assertThat(s.get("start_time").asLong()).isPositive();
                }
            }
            assertThat(paths).containsExactly("live/sessions-alpha", "live/sessions-mid", "live/sessions-zeta");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                calls.get("/cluster/api/sessions", "X-Cluster-Api-Key", API_KEY).json().get("data"))
                .noneMatch(s -> s.get("stream_path").asText().startsWith("live/sessions-")));
    }
}
