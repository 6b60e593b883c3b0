package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.testing.TestNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Another node calls a node's REST API (the dashboard's drain of a remote node) with its cluster token. */
class RestAccessByNodeTest {
    private static TestNode node;
    private static ClusterCalls calls;

    @BeforeAll
    static void start() {
        node = ClusterCalls.startNode(Map.of("rest.allowedCidrs", "none"));
        calls = new ClusterCalls(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aValidClusterTokenOpensTheRestApi() {
        assertThat(calls.get("/rest/v2/cluster/node-count", "Authorization", "Bearer " + calls.validToken()).status())
                .isEqualTo(200);
        assertThat(calls.get("/rest/v2/users/current", "Authorization", "Bearer " + calls.validToken()).json()
                .get("principal").asText()).isEqualTo("node " + calls.nodeId());
    }

    @Test
    void aTokenFromAnotherClusterOrAnUnknownNodeOrTheClusterApiKeyDoesNot() {
        String otherSecret = ClusterCalls.token(calls.nodeId(), calls.nodeId(), ClusterCalls.OTHER_SECRET, Instant.now());
        String stranger = ClusterCalls.token("node-x", calls.nodeId(), ClusterCalls.SECRET, Instant.now());
        for (String token : new String[] {otherSecret, stranger, ClusterCalls.API_KEY}) {
            assertThat(calls.get("/rest/v2/cluster/node-count", "Authorization", "Bearer " + token).status())
                    .isEqualTo(401);
        }
    }
}
