package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Application settings kept in the cluster store, changed through the REST API, applied to publishers. */
class AppSettingsRoutesTest {
    private static final String SETTINGS = "/rest/v2/applications/settings/live";

    private TestNode node;
    private ApiClient api;

    @BeforeEach
    void start() {
        node = ClusterCalls.startNode(Map.of());
        api = new ApiClient(node);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    @Test
    void settingsNeverChangedShowTheNodesConfiguration() {
        ApiClient.Reply reply = api.get(SETTINGS);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("acceptUndefinedStreams").asBoolean()).isTrue();
        assertThat(reply.json().get("version").asLong()).isZero();
    }

    @Test
    void aChangeIsStoredAndReadBack() {
        ApiClient.Reply changed = api.post(SETTINGS, "{\"acceptUndefinedStreams\": false}");

        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("success").asBoolean()).isTrue();
        assertThat(changed.json().get("dataId").asText()).isEqualTo("live");
        ApiClient.Reply read = api.get(SETTINGS);
        assertThat(read.json().get("acceptUndefinedStreams").asBoolean()).isFalse();
        assertThat(read.json().get("version").asLong()).isEqualTo(1);

        assertThat(api.put(SETTINGS, "{\"acceptUndefinedStreams\": true}").status()).isEqualTo(200);
        assertThat(api.get(SETTINGS).json().get("acceptUndefinedStreams").asBoolean()).isTrue();
        assertThat(api.get(SETTINGS).json().get("version").asLong()).isEqualTo(2);
    }

    @Test
    void aChangeOutlivesARestartOfTheNode() {
        api.post(SETTINGS, "{\"acceptUndefinedStreams\": false}");
        java.nio.file.Path dir = node.dataDir();
        node.stop();

        try (TestNode again = TestNode.builder().dataDir(dir).start()) {
            ApiClient.Reply read = new ApiClient(again).get(SETTINGS);
            assertThat(read.json().get("acceptUndefinedStreams").asBoolean()).isFalse();
        }
    }

    @Test
    void onceUndefinedStreamsAreRefusedOnlyCreatedBroadcastsCanBePublished() {
        api.post(SETTINGS, "{\"acceptUndefinedStreams\": false}");
        assertThat(api.post("/live/rest/v2/broadcasts/create", "{\"streamId\": \"created\"}").status())
                .isEqualTo(200);

        try (TestRtmp encoders = new TestRtmp()) {
            assertThat(encoders.publishRefusal(node, "not-created")).isEqualTo("NetStream.Publish.BadName");
            encoders.publish(node, "created");
        }
        assertThat(api.get("/live/rest/v2/broadcasts/not-created").status()).isEqualTo(404);
    }

    @Test
    void aChangeWithoutAnythingToChangeIsABadRequest() {
        assertThat(api.post(SETTINGS, null).status()).isEqualTo(400);
        assertThat(api.post(SETTINGS, "{}").status()).isEqualTo(400);
        assertThat(api.post(SETTINGS, "{\"acceptUndefinedStreams\": ").status()).isEqualTo(400);
        assertThat(api.get(SETTINGS).json().get("version").asLong()).isZero();
    }

    @Test
    void anUnknownAppIsNotFound() {
        assertThat(api.get("/rest/v2/applications/settings/vod").status()).isEqualTo(404);
        assertThat(api.post("/rest/v2/applications/settings/vod", "{\"acceptUndefinedStreams\": false}").status())
                .isEqualTo(404);
    }
}
