package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import org.junit.jupiter.api.Test;

/** The internal endpoints are never open, whatever a node was (or was not) given. */
class ClusterAuthTest {

    @Test
    void aNodeWithNeitherSecretNorKeyRefusesEveryCallAndSaysWhy() {
        try (TestNode node = TestNode.start()) {
            ClusterCalls calls = new ClusterCalls(node);

            ApiClient.Reply withKey = calls.get("/cluster/api/servers", "X-Cluster-Api-Key", "anything");
            ApiClient.Reply withToken = calls.post("/live/rest/cluster-communication/publish-stopped-notification/x",
                    null, "Authorization", "Bearer " + ClusterCalls.token(node.node().nodeId(), node.node().nodeId(),
                            ClusterCalls.SECRET, java.time.Instant.now()));

            assertThat(withKey.status()).isEqualTo(401);
            assertThat(withKey.json().get("message").asText()).contains("no cluster API key is configured");
            assertThat(withToken.status()).isEqualTo(401);
            assertThat(withToken.json().get("message").asText()).contains("no cluster secret");
        }
    }

    @Test
    void aNodeWithASecretButNoKeyTakesOnlyClusterTokens() {
        try (TestNode node = TestNode.builder().set("cluster.secret", ClusterCalls.SECRET).start()) {
            ClusterCalls calls = new ClusterCalls(node);

            assertThat(calls.get("/cluster/api/servers", "Authorization", "Bearer " + calls.validToken()).status())
                    .isEqualTo(200);
            assertThat(calls.get("/cluster/api/servers", "X-Cluster-Api-Key", "").status()).isEqualTo(401);
            assertThat(calls.get("/cluster/api/servers", "Authorization", "Bearer not-a-token").status())
                    .isEqualTo(401);
        }
    }

    @Test
    void anEmptyConfiguredKeyDoesNotOpenTheApiToAnEmptyHeader() {
        // e.g. TRIBUTARY_CLUSTER_API_KEY= left empty in a compose file
        try (TestNode node = TestNode.builder().set("cluster.apiKey", "").start()) {
            ClusterCalls calls = new ClusterCalls(node);

            ApiClient.Reply reply = calls.get("/cluster/api/servers", "X-Cluster-Api-Key", "");

            assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
        }
    }
}
