package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ant Media Server's cluster REST API on a single node: a cluster of one. */
class ClusterRestRoutesTest {
    private static TestNode node;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        node = ClusterCalls.startNode(Map.of());
        api = new ApiClient(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void nodeCountCountsThisNode() {
        ApiClient.Reply reply = api.get("/rest/v2/cluster/node-count");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.fieldNames()).containsExactly("number");
        assertThat(reply.json().get("number").asLong()).isEqualTo(1);
    }

    @Test
    void nodesListsThisNodeAlive() {
        ApiClient.Reply reply = api.get("/rest/v2/cluster/nodes/0/10");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json()).hasSize(1);
        JsonNode self = reply.json().get(0);
        assertThat(self.get("id").asText()).isEqualTo(node.node().nodeId());
        assertThat(self.get("status").asText()).isEqualTo("alive");
        assertThat(self.get("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(self.get("internalAddress").asText()).isEqualTo("127.0.0.1");
        assertThat(self.get("rtmpPort").asInt()).isEqualTo(node.node().rtmpPort());
        assertThat(self.get("httpPort").asInt()).isEqualTo(node.node().httpPort());
        assertThat(self.get("lastUpdateTime").asLong()).isCloseTo(System.currentTimeMillis(),
                org.assertj.core.data.Offset.offset(60_000L));
    }

    @Test
    void nodesPagesPastTheEndAreEmptyAndBadNumbersAreRefused() {
        assertThat(api.get("/rest/v2/cluster/nodes/1/10").json()).isEmpty();
        assertThat(api.get("/rest/v2/cluster/nodes/0/0").json()).isEmpty();
        assertThat(api.get("/rest/v2/cluster/nodes/-1/10").status()).isEqualTo(400);
        assertThat(api.get("/rest/v2/cluster/nodes/0/ten").status()).isEqualTo(400);
    }

    @Test
    void aPageFarPastTheEndIsEmpty() {
        ApiClient.Reply reply = api.get("/rest/v2/cluster/nodes/2147483647/10");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json()).isEmpty();
    }

    @Test
    void thisNodeCannotBeDeletedThroughItself() {
        ApiClient.Reply reply = api.delete("/rest/v2/cluster/node/" + node.node().nodeId());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.json().get("success").asBoolean()).isFalse();
        assertThat(reply.json().get("message").asText()).contains(node.node().nodeId());
        assertThat(api.get("/rest/v2/cluster/node-count").json().get("number").asLong()).isEqualTo(1);
    }

    @Test
    void anUnknownNodeCannotBeDeleted() {
        assertThat(api.delete("/rest/v2/cluster/node/node-nobody").status()).isEqualTo(404);
    }
}
