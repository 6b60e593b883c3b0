package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.testing.RedisProcess;
import io.tributary.server.http.ApiClient;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An operator drains any node of the cluster through whichever node they are connected to. */
class RemoteDrainRoutesTest {
    private static RedisProcess redis;
    private static TestNode near;
    private static TestNode far;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        near = node("drain-near");
        far = node("drain-far");
        api = new ApiClient(near);
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("/rest/v2/cluster/node-count").json()
                .get("number").asInt() == 2);
    }

    @AfterAll
    static void stop() {
        far.close();
        near.close();
        redis.close();
    }

    @AfterEach
    void undrain() {
        near.node().drain().set(false);
        far.node().drain().set(false);
    }

    @Test
    void anotherNodeIsDrainedThroughThisOneAndTheNodeListSaysSo() {
        Reply drained = api.post("/rest/v2/cluster/nodes/drain-far/drain", "");

        assertThat(drained.status()).as(drained.toString()).isEqualTo(200);
        assertThat(drained.json().get("dataId").asText()).isEqualTo("drain-far");
        assertThat(drained.json().get("message").asText()).contains("Node drain-far is now draining");
        assertThat(far.node().drain().isDraining()).isTrue();
        assertThat(near.node().drain().isDraining()).isFalse();
        assertThat(new ApiClient(far).get("/health").json().get("status").asText()).isEqualTo("draining");
        // The far node says so with its next heartbeat.
        await().atMost(Duration.ofSeconds(5)).until(() -> node(api.get("/rest/v2/cluster/nodes/0/50").json(),
                "drain-far").get("draining").asBoolean());

        Reply undrained = api.delete("/rest/v2/cluster/nodes/drain-far/drain");

        assertThat(undrained.status()).isEqualTo(200);
        assertThat(undrained.json().get("message").asText()).contains("no longer drains");
        assertThat(far.node().drain().isDraining()).isFalse();
    }

    @Test
    void theNodeAskedDrainsItselfAndListsItAtOnce() {
        Reply drained = api.post("/rest/v2/cluster/nodes/drain-near/drain", "");

        assertThat(drained.status()).isEqualTo(200);
        assertThat(near.node().drain().isDraining()).isTrue();
        assertThat(node(api.get("/rest/v2/cluster/nodes/0/50").json(), "drain-near").get("draining").asBoolean())
                .isTrue();
        assertThat(far.node().drain().isDraining()).isFalse();
    }

    @Test
    void anUnknownNodeIsNotFound() {
        Reply reply = api.post("/rest/v2/cluster/nodes/nobody/drain", "");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().get("message").asText()).contains("nobody");
    }

    private static JsonNode node(JsonNode nodes, String id) {
        for (JsonNode n : nodes) {
            if (n.get("id").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id + " in " + nodes);
    }

    private static TestNode node(String id) {
        return TestNode.builder().set("nodeId", id).set("cluster.store", redis.uri())
                .set("cluster.secret", ClusterCalls.SECRET).set("cluster.heartbeatPeriod", "500ms").start();
    }
}
