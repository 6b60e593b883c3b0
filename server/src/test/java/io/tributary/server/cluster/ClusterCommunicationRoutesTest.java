package io.tributary.server.cluster;

import static io.tributary.server.cluster.ClusterCalls.API_KEY;
import static io.tributary.server.cluster.ClusterCalls.OTHER_SECRET;
import static io.tributary.server.cluster.ClusterCalls.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Another node telling this one that a stream started or stopped there: only a valid cluster token from a
 * node of the cluster gets in, and a refused call changes nothing. The sender here is the node itself, the
 * only member a one-node cluster knows.
 */
class ClusterCommunicationRoutesTest {
    private static final String BASE = "/live/rest/cluster-communication/";

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

    private static String entry(String streamId, String status, String origin, long version) {
        return "{\"app\":\"live\",\"streamId\":\"" + streamId + "\",\"status\":\"" + status + "\""
                + (origin == null ? "" : ",\"originNode\":\"" + origin + "\",\"originAddress\":\"198.51.100.20\"")
                + ",\"version\":" + version + ",\"deleted\":false,\"startTime\":1700000000000}";
    }

    /** The live session of {@code live/streamId} as /cluster/api/sessions shows it. */
    private static Optional<JsonNode> session(String streamId) {
        ApiClient.Reply reply = calls.get("/cluster/api/sessions", "X-Cluster-Api-Key", API_KEY);
        assertThat(reply.status()).isEqualTo(200);
        for (JsonNode s : reply.json().get("data")) {
            if (s.get("stream_path").asText().equals("live/" + streamId)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static List<String> sessionPaths() {
        List<String> paths = new ArrayList<>();
        calls.get("/cluster/api/sessions", "X-Cluster-Api-Key", API_KEY).json().get("data")
                .forEach(s -> paths.add(s.get("stream_path").asText()));
        return paths;
    }

    /** Ways a caller's credentials can be wrong. */
    enum Wrong {
        MISSING, NOT_A_JWT, OTHER_SECRET, EXPIRED, FOR_ANOTHER_NODE, FROM_AN_UNKNOWN_NODE, API_KEY_INSTEAD
    }

    private static String[] credentials(Wrong wrong) {
        String self = calls.nodeId();
        Instant now = Instant.now();
        String token = switch (wrong) {
            case MISSING -> null;
            case NOT_A_JWT -> "not-a-token";
            case OTHER_SECRET -> ClusterCalls.token(self, self, OTHER_SECRET, now);
            case EXPIRED -> ClusterCalls.token(self, self, SECRET, now.minus(Duration.ofMinutes(10)));
            case FOR_ANOTHER_NODE -> ClusterCalls.token(self, "node-elsewhere", SECRET, now);
            case FROM_AN_UNKNOWN_NODE -> ClusterCalls.token("node-stranger", self, SECRET, now);
            case API_KEY_INSTEAD -> API_KEY;
        };
        return token == null ? new String[0] : new String[] {"Authorization", "Bearer " + token};
    }

    @ParameterizedTest
    @EnumSource(Wrong.class)
    void aNotificationWithWrongCredentialsIsRefusedAndChangesNothing(Wrong wrong) {
        String streamId = "refused-" + wrong.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        List<String> before = sessionPaths();

        ApiClient.Reply started = calls.post(BASE + "publish-started-notification/" + streamId,
                entry(streamId, "broadcasting", "node-far", 5), credentials(wrong));
        ApiClient.Reply room = calls.postBytes(BASE + "virtual-stream-data-message/room1/true", new byte[] {1},
                credentials(wrong));

        assertThat(started.status()).as(started.toString()).isEqualTo(401);
        assertThat(started.json().get("success").asBoolean()).isFalse();
        assertThat(started.json().get("message").asText()).isNotBlank();
        assertThat(room.status()).isEqualTo(401);
        assertThat(sessionPaths()).isEqualTo(before);
    }

    @Test
    void aStartedNotificationPutsTheStreamInTheDirectoryAndAStoppedOneTakesItOut() {
        ApiClient.Reply started = calls.postAsNode(BASE + "publish-started-notification/remote1",
                entry("remote1", "broadcasting", "node-far", 5));

        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        assertThat(started.json().get("success").asBoolean()).isTrue();
        assertThat(started.json().get("dataId").asText()).isEqualTo("remote1");
        JsonNode session = session("remote1").orElseThrow();
        assertThat(session.get("node_id").asText()).isEqualTo("node-far");
        assertThat(session.get("version").asLong()).isEqualTo(5);
        assertThat(session.get("status").asText()).isEqualTo("broadcasting");

        ApiClient.Reply stopped = calls.postAsNode(BASE + "publish-stopped-notification/remote1",
                entry("remote1", "finished", null, 6));

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(session("remote1")).isEmpty();
    }

    @Test
    void anOlderNotificationThanTheDirectoryHasIsIgnored() {
        calls.postAsNode(BASE + "publish-started-notification/remote2", entry("remote2", "broadcasting", "node-far", 5));

        ApiClient.Reply late = calls.postAsNode(BASE + "publish-started-notification/remote2",
                entry("remote2", "broadcasting", "node-old", 4));

        assertThat(late.status()).isEqualTo(200);
        assertThat(late.json().get("message").asText()).contains("ignored");
        assertThat(session("remote2").orElseThrow().get("node_id").asText()).isEqualTo("node-far");
    }

    @Test
    void aStoppedNotificationForAStreamThisNodeDoesNotKnowIsAnsweredAndIgnored() {
        List<String> before = sessionPaths();

        ApiClient.Reply stopped = calls.postAsNode(BASE + "publish-stopped-notification/never-heard-of",
                entry("never-heard-of", "finished", null, 3));

        assertThat(stopped.status()).as(stopped.toString()).isEqualTo(200);
        assertThat(stopped.json().get("success").asBoolean()).isTrue();
        assertThat(sessionPaths()).isEqualTo(before);
        assertThat(stopped.json().path("message").asText()).as("what the node did with it").contains("ignored");
    }

    @Test
    void aNotificationWithoutABodyIsAnsweredFromTheStore() {
        List<String> before = sessionPaths();

        ApiClient.Reply started = calls.postAsNode(BASE + "publish-started-notification/only-an-id", null);

        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().get("success").asBoolean()).isTrue();
        assertThat(sessionPaths()).isEqualTo(before);
    }

    @Test
    void aBodyThatIsNotJsonIsABadRequest() {
        ApiClient.Reply reply = calls.postAsNode(BASE + "publish-started-notification/remote3", "{\"app\": \"live\",");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("message").asText()).contains("JSON");
        assertThat(session("remote3")).isEmpty();
    }

    @Test
    void aBodyAboutAnotherStreamIsABadRequest() {
        ApiClient.Reply reply = calls.postAsNode(BASE + "publish-started-notification/remote4",
                entry("remote5", "broadcasting", "node-far", 1));

        assertThat(reply.status()).isEqualTo(400);
        assertThat(session("remote4")).isEmpty();
        assertThat(session("remote5")).isEmpty();
    }

    @Test
    void anUnknownAppIsNotFoundAndAnInvalidStreamIdIsABadRequest() {
        assertThat(calls.postAsNode("/vod/rest/cluster-communication/publish-started-notification/x",
                "{}").status()).isEqualTo(404);
        assertThat(calls.postAsNode(BASE + "publish-started-notification/bad!id", "{}").status()).isEqualTo(400);
    }

    @Test
    void aRoomMessageNeedsTrueOrFalseForBinary() {
        String token = "Bearer " + calls.validToken();
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);

        ApiClient.Reply maybe = calls.postBytes(BASE + "virtual-stream-data-message/room1/maybe", hello,
                "Authorization", token);
        ApiClient.Reply binary = calls.postBytes(BASE + "virtual-stream-data-message/room1/true", hello,
                "Authorization", token);
        ApiClient.Reply text = calls.postBytes(BASE + "virtual-stream-data-message/room1/false", hello,
                "Authorization", token);

        assertThat(maybe.status()).as(maybe.toString()).isEqualTo(400);
        assertThat(maybe.json().get("message").asText()).contains("maybe");
        assertThat(binary.status()).isEqualTo(200);
        assertThat(text.status()).isEqualTo(200);
    }
}
