package io.tributary.server.cluster;

import static io.tributary.server.cluster.ClusterCalls.API_KEY;
import static io.tributary.server.cluster.ClusterCalls.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.media.amf.AmfObject;
import io.tributary.rtmp.client.PlayListener;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.command.Status;
import io.tributary.server.conference.RoomClient;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes in peers mode in one process (each on its own HTTP port of 127.0.0.1, 100 ms heartbeats): they
 * join through a seed, relay each other's streams, and two that accepted one stream before they met agree
 * on the earlier claim and disconnect the other publisher with BadName.
 */
class PeersModeTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final List<TestNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(TestNode::close);
    }

    private TestNode start(String id, TestNode seed) {
        TestNode.Builder b = TestNode.builder().set("nodeId", id).set("cluster.store", "peers")
                .set("cluster.secret", SECRET).set("cluster.apiKey", API_KEY)
                .set("cluster.heartbeatPeriod", "100ms").set("cluster.heartbeatTtl", "1s")
                .set("cluster.syncPeriod", "2s");
        if (seed != null) {
            b.set("cluster.seeds", "127.0.0.1:" + seed.node().httpPort());
        }
        TestNode n = b.start();
        nodes.add(n);
        return n;
    }

    private static Map<String, String> sessions(TestNode n) {
        Map<String, String> sessions = new java.util.TreeMap<>();
        JsonNode data = new ClusterCalls(n).get("/cluster/api/sessions", "X-Cluster-Api-Key", API_KEY).json()
                .get("data");
        data.forEach(s -> sessions.put(s.get("stream_path").asText(), s.get("node_id").asText()));
        return sessions;
    }

    private static List<String> servers(TestNode n) {
        List<String> servers = new ArrayList<>();
        new ClusterCalls(n).get("/cluster/api/servers", "X-Cluster-Api-Key", API_KEY).json().get("data")
                .forEach(s -> servers.add(s.get("server_id").asText() + " " + s.get("status").asText()));
        return servers;
    }

    @Test
    void aConferenceMessageReachesAParticipantOnAnotherPeer() {
        TestNode a = start("node-a", null);
        TestNode b = start("node-b", a);
        await().atMost(WAIT).until(() -> servers(a).equals(List.of("node-a alive", "node-b alive"))
                && servers(b).equals(List.of("node-a alive", "node-b alive")));

        try (RoomClient onA = RoomClient.connect(a, "live"); RoomClient onB = RoomClient.connect(b, "live")) {
            onA.join("r1");
            onB.join("r1");
            onB.send("{\"command\":\"sendData\",\"data\":\"hello over peers\"}");
            await().atMost(WAIT).until(() -> {
                JsonNode m = onA.nextJson();
                return m.path("command").asText().equals("receivedData")
                        && m.path("data").asText().equals("hello over peers");
            });
        }
    }

    @Test
    void aStreamPublishedOnOneNodePlaysOnAnotherThroughARelay() {
        TestNode a = start("node-a", null);
        TestNode b = start("node-b", a);
        await().atMost(WAIT).until(() -> servers(a).equals(List.of("node-a alive", "node-b alive"))
                && servers(b).equals(List.of("node-a alive", "node-b alive")));

        try (TestRtmp rtmp = new TestRtmp()) {
            rtmp.publishFed(a.node().rtmpPort(), "cam");
            await().atMost(WAIT).until(() -> sessions(b).equals(Map.of("live/cam", "node-a")));

            TestRtmp.Playing viewer = rtmp.play(b, "cam");
            await().atMost(WAIT).until(() -> viewer.frames().get() > 10);
            await().atMost(WAIT).untilAsserted(() -> assertThat(new ClusterCalls(a)
                    .get("/cluster/api/sessions", "X-Cluster-Api-Key", API_KEY).json().at("/data/0/subscribe_nodes")
                    .toString()).contains("node-b"));
        }
    }

    @Test
    void twoNodesThatAcceptedOneStreamBeforeTheyMetKeepTheEarlierClaimAndRefuseTheOther() throws Exception {
        TestNode a = start("node-a", null);
        TestNode b = start("node-b", null);
        try (TestRtmp rtmp = new TestRtmp()) {
            TestRtmp.Publishing first = rtmp.publishFed(a.node().rtmpPort(), "cam");
            await().atMost(WAIT).until(() -> sessions(a).containsKey("live/cam"));
            long claimed = System.currentTimeMillis();
            // The second claim is later by the wall clock, whatever the machine's load.
            await().atMost(WAIT).until(() -> System.currentTimeMillis() > claimed);
            List<String> statuses = new CopyOnWriteArrayList<>();
            RtmpSession second = rtmp.connect(b, "live");
            second.publish("cam", new PlayListener() {
                @Override
                public void onFrame(io.tributary.media.Frame frame) {
                }

                @Override
                public void onStatus(String code, AmfObject info) {
                    statuses.add(code);
                }
            }).get(10, TimeUnit.SECONDS);
            assertThat(sessions(b)).as("node-b knew nothing of node-a").isEqualTo(Map.of("live/cam", "node-b"));

            // node-b hears of node-a, meets it, and the two copies merge.
            String summary = "{\"summaries\": [{\"server_id\": \"node-a\", \"address\": \"127.0.0.1:"
                    + a.node().httpPort() + "\"}]}";
            assertThat(new ClusterCalls(b).post("/cluster/api/servers/sync", summary, "X-Cluster-Api-Key", API_KEY)
                    .status()).isEqualTo(200);

            second.closeFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(statuses).contains(Status.PUBLISH_START, Status.PUBLISH_BAD_NAME);
            await().atMost(WAIT).until(() -> sessions(a).equals(Map.of("live/cam", "node-a"))
                    && sessions(b).equals(Map.of("live/cam", "node-a")));
            assertThat(first.session().closeFuture()).as("the earlier publisher carries on").isNotDone();
        }
    }

    @Test
    void thePeerEndpointsAnswerInTheSeedsShapesAndRefuseStrangers() {
        TestNode a = start("node-a", null);
        ClusterCalls calls = new ClusterCalls(a);
        String tool = "{\"summary\": {\"server_id\": \"tool-1\", \"address\": \"127.0.0.9:5080\", \"quic_addr\": \"x\"}}";

        assertThat(calls.post("/cluster/api/heartbeat", tool).status()).isEqualTo(401);
        assertThat(calls.post("/cluster/api/heartbeat", tool, "Authorization", "Bearer "
                + ClusterCalls.token("node-z", "node-a", ClusterCalls.OTHER_SECRET, java.time.Instant.now()))
                .status()).as("a token signed with another secret").isEqualTo(401);
        assertThat(calls.post("/cluster/api/heartbeat", "{\"summary\": {\"server_id\": \"x\"}}",
                "X-Cluster-Api-Key", API_KEY).status()).isEqualTo(400);

        JsonNode reply = calls.post("/cluster/api/heartbeat", tool, "Authorization", "Bearer "
                + ClusterCalls.token("tool-1", "node-a", SECRET, java.time.Instant.now())).json();
        assertThat(reply.get("code").asInt()).as("a node not known yet joins with its token").isZero();
        assertThat(reply.at("/data/server_id").asText()).isEqualTo("node-a");
        assertThat(reply.at("/data/summaries").findValuesAsText("server_id")).contains("node-a", "tool-1");
        await().atMost(WAIT).until(() -> servers(a).contains("tool-1 alive") || servers(a).contains("tool-1 suspect")
                || servers(a).contains("tool-1 dead"));

        // A record of a node this one has not heard of yet (tool-1, heard of but silent, is soon judged dead and
        // its streams released).
        String forged = "{\"server_id\": \"node-x\", \"sessions\": [{\"stream_path\": \"live/remote\", "
                + "\"node_id\": \"node-x\", \"status\": \"broadcasting\", \"version\": 1, \"start_time\": 5, "
                + "\"generation\": 1, \"broadcast\": {\"streamId\": \"remote\", \"status\": \"broadcasting\", "
                + "\"originNode\": \"node-x\", \"startTime\": 5}}]}";
        assertThat(calls.post("/cluster/api/sessions/sync", forged, "X-Cluster-Api-Key", "wrong").status())
                .isEqualTo(401);
        assertThat(sessions(a)).isEmpty();
        JsonNode synced = calls.post("/cluster/api/sessions/sync", forged, "X-Cluster-Api-Key", API_KEY).json();
        assertThat(synced.at("/data/merged").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> sessions(a).equals(Map.of("live/remote", "node-x")));
        JsonNode copy = calls.get("/cluster/api/sessions?state=all", "X-Cluster-Api-Key", API_KEY).json();
        assertThat(copy.at("/data/0/generation").asLong()).isEqualTo(1);
        assertThat(copy.at("/data/0/broadcast/originNode").asText()).isEqualTo("node-x");

        JsonNode joined = calls.post("/cluster/api/sessions/participation", "{\"stream_path\": \"live/remote\", "
                + "\"node_id\": \"edge-9\", \"action\": \"subscribe\"}", "X-Cluster-Api-Key", API_KEY).json();
        assertThat(joined.at("/data/subscribe_nodes").toString()).isEqualTo("[\"edge-9\"]");
        assertThat(calls.post("/cluster/api/sessions/participation", "{\"stream_path\": \"live/remote\", "
                + "\"node_id\": \"edge-9\", \"action\": \"watch\"}", "X-Cluster-Api-Key", API_KEY).status())
                .isEqualTo(400);

        JsonNode notHere = calls.post("/cluster/api/relay/pull", "{\"request_id\": \"r1\", \"stream_path\": "
                + "\"live/remote\", \"requestor_id\": \"edge-9\"}", "X-Cluster-Api-Key", API_KEY).json();
        assertThat(notHere.at("/data/accepted").asBoolean()).isFalse();
        assertThat(notHere.at("/data/origin_id").asText()).isEqualTo("node-x");
        try (TestRtmp rtmp = new TestRtmp()) {
            rtmp.publishFed(a.node().rtmpPort(), "here");
            JsonNode pull = calls.post("/cluster/api/relay/pull", "{\"request_id\": \"r2\", \"stream_path\": "
                    + "\"live/here\", \"requestor_id\": \"edge-9\"}", "X-Cluster-Api-Key", API_KEY).json();
            assertThat(pull.at("/data/accepted").asBoolean()).isTrue();
            assertThat(pull.at("/data/request_id").asText()).isEqualTo("r2");
            String url = pull.at("/data/rtmp_url").asText();
            assertThat(url).startsWith("rtmp://127.0.0.1:" + a.node().rtmpPort() + "/live/here?clusterToken=");

            // The URL plays: it is a relay pull of that one stream.
            TestRtmp.Playing puller = rtmp.play(a.node().rtmpPort(), "here?" + url.substring(url.indexOf("clusterToken")));
            await().atMost(WAIT).until(() -> puller.frames().get() > 5);
        }
    }

    @Test
    void aNodeOnAStoreSaysPeerSyncIsOff() {
        TestNode embedded = ClusterCalls.startNode(Map.of());
        nodes.add(embedded);
        ClusterCalls calls = new ClusterCalls(embedded);

        assertThat(calls.post("/cluster/api/heartbeat", "{\"summary\": {\"server_id\": \"x\", \"address\": "
                + "\"127.0.0.9:5080\"}}", "X-Cluster-Api-Key", API_KEY).status()).isEqualTo(503);
        assertThat(calls.get("/cluster/api/sessions?state=all", "X-Cluster-Api-Key", API_KEY).status())
                .isEqualTo(400);
    }
}
