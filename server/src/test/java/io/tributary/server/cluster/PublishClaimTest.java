package io.tributary.server.cluster;

import static io.tributary.server.cluster.ClusterCalls.API_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A publish claims its stream in the cluster directory before the encoder hears Publish.Start, and a stop
 * releases it; an edge-only node takes no publishers at all.
 */
class PublishClaimTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

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

    private static List<String> sessions() {
        List<String> paths = new ArrayList<>();
        for (JsonNode s : calls.get("/cluster/api/sessions", "X-Cluster-Api-Key", API_KEY).json().get("data")) {
            paths.add(s.get("stream_path").asText() + " on " + s.get("node_id").asText());
        }
        return paths;
    }

    @Test
    void aPublishIsClaimedInTheStoreAndTheDirectoryBeforeItStarts() {
        try (TestRtmp encoders = new TestRtmp()) {
            encoders.publish(node, "claimed");

            ApiClient.Reply record = calls.api().get("/live/rest/v2/broadcasts/claimed");
            assertThat(record.status()).isEqualTo(200);
            assertThat(record.json().get("status").asText()).isEqualTo("broadcasting");
            assertThat(record.json().get("originNode").asText()).isEqualTo(calls.nodeId());
            assertThat(record.json().get("zombi").asBoolean()).isTrue();
            assertThat(sessions()).contains("live/claimed on " + calls.nodeId());
        }
        await().atMost(WAIT).until(() -> calls.api().get("/live/rest/v2/broadcasts/claimed").status() == 404);
        assertThat(sessions()).noneMatch(s -> s.startsWith("live/claimed "));
    }

    @Test
    void aSecondPublisherOfALiveStreamIsRefused() {
        try (TestRtmp encoders = new TestRtmp()) {
            encoders.publish(node, "twice");

            assertThat(encoders.publishRefusal(node, "twice")).isEqualTo("NetStream.Publish.BadName");
            assertThat(sessions()).contains("live/twice on " + calls.nodeId());
        }
    }

    @Test
    void aStreamPublishedAgainAfterItsPublisherStoppedIsInTheDirectoryAgain() {
        try (TestRtmp first = new TestRtmp()) {
            first.publish(node, "comeback");
        }
        await().atMost(WAIT).until(() -> calls.api().get("/live/rest/v2/broadcasts/comeback").status() == 404);

        try (TestRtmp again = new TestRtmp()) {
            RtmpSession session = again.publish(node, "comeback").session();

            assertThat(calls.api().get("/live/rest/v2/broadcasts/comeback").json().get("status").asText())
                    .isEqualTo("broadcasting");
            assertThat(sessions()).as("/cluster/api/sessions while live/comeback is published again")
                    .contains("live/comeback on " + calls.nodeId());
            assertThat(session.channel().isActive()).isTrue();
        }
    }

    @Test
    void anEdgeOnlyNodeRefusesPublishersAndClaimsNothing() {
        try (TestNode edge = ClusterCalls.startNode(Map.of("roles", "edge"));
             TestRtmp encoders = new TestRtmp()) {

            assertThat(encoders.publishRefusal(edge, "to-the-edge")).isEqualTo("NetStream.Publish.Unauthorized");

            assertThat(new ApiClient(edge).get("/live/rest/v2/broadcasts/to-the-edge").status()).isEqualTo(404);
        }
    }
}
