package io.tributary.server.cluster;

import static io.tributary.server.cluster.ClusterCalls.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The allocation and redirect API on a single node: guarded, strict about its input, and answering for itself. */
class AllocationRoutesTest {
    private static final String[] KEY = {"X-Cluster-Api-Key", API_KEY};
    // The test JVM's own CPU use must not decide whether this node takes players.
    private static final Map<String, String> NO_CPU_LIMIT = Map.of("cluster.routing.cpuThreshold", "100");

    private static TestNode node;
    private static ClusterCalls calls;

    @BeforeAll
    static void start() {
        node = ClusterCalls.startNode(NO_CPU_LIMIT);
        calls = new ClusterCalls(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static void assertEnvelopeError(ApiClient.Reply reply, int status, String message) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.fieldNames()).containsExactly("code", "message", "data");
        assertThat(reply.json().get("code").asInt()).isEqualTo(status);
        assertThat(reply.json().get("message").asText()).contains(message);
        assertThat(reply.json().get("data").isNull()).isTrue();
    }

    @Test
    void everyEndpointRefusesACallerWithoutTheKey() {
        assertEnvelopeError(calls.post("/cluster/api/allocate/publish", "{\"stream_path\": \"live/test\"}"), 401,
                "X-Cluster-Api-Key");
        assertEnvelopeError(calls.post("/cluster/api/allocate/play", "{\"stream_path\": \"live/test\"}",
                "X-Cluster-Api-Key", API_KEY + "x"), 401, "invalid");
        assertEnvelopeError(calls.get("/cluster/api/redirect/decision?stream_path=live/test"), 401,
                "X-Cluster-Api-Key");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"protocol\": \"rtmp\"}", "{\"stream_path\": \"\"}"})
    void anAllocationWithoutAStreamPathIs400(String body) {
        assertEnvelopeError(calls.post("/cluster/api/allocate/publish", body, KEY), 400, "stream_path is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"stream_path\": \"test\"}", "{\"stream_path\": \"live/a/b\"}",
            "{\"stream_path\": \"live/a b\"}", "{\"stream_path\": \"/test\"}"})
    void anInvalidStreamPathIs400(String body) {
        assertEnvelopeError(calls.post("/cluster/api/allocate/play", body, KEY), 400,
                "stream_path must be {app}/{streamId}");
    }

    @Test
    void aBadBodyOrLimitIs400() {
        assertEnvelopeError(calls.post("/cluster/api/allocate/play", null, KEY), 400, "stream_path");
        assertEnvelopeError(calls.post("/cluster/api/allocate/play", "{\"stream_path\": \"live/test\", "
                + "\"streampath\": 1}", KEY), 400, "invalid JSON body");
        assertEnvelopeError(calls.post("/cluster/api/allocate/play", "{\"stream_path\": \"live/test\", \"limit\": 0}",
                KEY), 400, "limit must be from 1 to 100, got 0");
    }

    @Test
    void aDecisionWithoutAStreamPathIs400() {
        assertEnvelopeError(calls.get("/cluster/api/redirect/decision?protocol=flv", KEY), 400,
                "stream_path is required");
    }

    @Test
    void aPublishAllocationOnASingleNodeNamesThatNodeAndReservesATicketOnIt() {
        long before = System.currentTimeMillis();

        ApiClient.Reply reply = calls.post("/cluster/api/allocate/publish",
                "{\"stream_path\": \"live/test\", \"protocol\": \"rtmp\", \"limit\": 3}", KEY);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("code").asInt()).isZero();
        JsonNode data = reply.json().get("data");
        assertThat(data.get("stream_path").asText()).isEqualTo("live/test");
        assertThat(data.get("protocol").asText()).isEqualTo("rtmp");
        assertThat(data.get("candidates")).hasSize(1);
        JsonNode c = data.get("candidates").get(0);
        assertThat(ApiClient.parse(c.toString()).fieldNames()).toIterable().containsExactly("server_id", "advertise",
                "rtmp_port", "http_port", "url", "score", "load");
        assertThat(c.get("server_id").asText()).isEqualTo(calls.nodeId());
        assertThat(c.get("advertise").asText()).isEqualTo("127.0.0.1");
        assertThat(c.get("rtmp_port").asInt()).isEqualTo(node.node().rtmpPort());
        assertThat(c.get("url").asText()).isEqualTo(node.rtmpUrl("live", "test"));
        assertThat(c.get("load").has("players")).isTrue();
        JsonNode ticket = data.get("ticket");
        assertThat(ticket.get("id").asText()).isNotBlank();
        assertThat(ticket.get("server_id").asText()).isEqualTo(calls.nodeId());
        assertThat(ticket.get("expires_at").asLong()).isBetween(before + 30_000, System.currentTimeMillis() + 30_000);
    }

    @Test
    void aPlayAllocationGivesTheUrlOfTheProtocolAskedFor() {
        ApiClient.Reply reply = calls.post("/cluster/api/allocate/play",
                "{\"stream_path\": \"live/test\", \"protocol\": \"hls\"}", KEY);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().at("/data/candidates/0/url").asText())
                .isEqualTo(node.httpUrl("/live/streams/test.m3u8"));
    }

    @Test
    void theProtocolDefaultsToUnknown() {
        ApiClient.Reply reply = calls.post("/cluster/api/allocate/play", "{\"stream_path\": \"live/test\"}", KEY);

        assertThat(reply.json().at("/data/protocol").asText()).isEqualTo("unknown");
        assertThat(reply.json().at("/data/candidates/0/url").asText()).isEqualTo(node.httpUrl(""));
    }

    @Test
    void aNodeThatCanTakeThePlayerSaysStay() {
        ApiClient.Reply reply = calls.get("/cluster/api/redirect/decision?stream_path=live/test&protocol=flv", KEY);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode data = reply.json().get("data");
        assertThat(ApiClient.parse(data.toString()).fieldNames()).toIterable()
                .containsExactly("action", "server_id", "url", "reason");
        assertThat(data.get("action").asText()).isEqualTo("stay");
        assertThat(data.get("server_id").asText()).isEqualTo(calls.nodeId());
        assertThat(data.get("url").asText()).isEqualTo(node.httpUrl("/live/test.flv"));
        assertThat(data.get("reason").asText()).isEqualTo(calls.nodeId() + " takes players");
    }

    @Test
    void withNoNodeThatCanTakeTheClientTheAnswerIs503AndSaysWhy() {
        try (TestNode originOnly = ClusterCalls.startNode(Map.of("roles", "origin"))) {
            ClusterCalls origin = new ClusterCalls(originOnly);

            ApiClient.Reply reply = origin.post("/cluster/api/allocate/play", "{\"stream_path\": \"live/test\"}", KEY);

            assertEnvelopeError(reply, 503, "no node can take a player for live/test: " + origin.nodeId()
                    + " is not an edge");
            assertThat(origin.post("/cluster/api/allocate/publish", "{\"stream_path\": \"live/test\"}", KEY).status())
                    .isEqualTo(200);
        }
    }
}
