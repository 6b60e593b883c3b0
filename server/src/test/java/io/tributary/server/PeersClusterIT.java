package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.ClusterHarness;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.NodeProcess;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Three node processes in peers mode, no store, each given only node 1 as its seed, with 300 ms heartbeats
 * (suspect after 2 missed, dead after 4): they find each other, a stream published on node 1 plays on node 3
 * through a relay, node 2 killed outright is suspect then dead on both survivors within the thresholds and
 * alive again once restarted, and a wrong API key is refused and changes nothing.
 */
class PeersClusterIT {
    private static final long PERIOD_MS = 300;
    private static final String[] FAST = {"--set", "cluster.heartbeatPeriod=" + PERIOD_MS + "ms",
            "--set", "cluster.heartbeatTtl=1s", "--set", "cluster.syncPeriod=5s"};
    private static final Map<String, String> ALL_ALIVE = Map.of("node-1", "alive", "node-2", "alive",
            "node-3", "alive");

    private ClusterHarness cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeNodesWithoutAStoreFindEachOtherRelayAStreamAndJudgeAKilledNode() throws Exception {
        cluster = ClusterHarness.startPeers(3, FAST);
        for (int i = 1; i <= 3; i++) {
            NodeProcess observer = cluster.node(i);
            await("node " + i + " sees every node alive").atMost(Duration.ofSeconds(15))
                    .until(() -> cluster.servers(observer).equals(ALL_ALIVE));
        }

        try (ManagedProcess encoder = Ffmpeg.publish(cluster.node(1).rtmpUrl("live", "demo"), Duration.ofSeconds(60),
                "aac", "640x360")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> cluster.sessions(cluster.node(3))
                    .equals(Map.of("live/demo", "node-1")));
            Ffmpeg.Probe probe = Ffmpeg.probe(cluster.node(3).rtmpUrl("live", "demo"), 2);
            assertThat(probe.video().codec()).as(probe.stderr()).isEqualTo("h264");
            assertThat(cluster.relays(cluster.node(3))).anySatisfy(r -> {
                assertThat(r.path("direction").asText()).isEqualTo("pull");
                assertThat(r.path("origin_node").asText()).isEqualTo("node-1");
            });
            assertThat(encoder.isAlive()).isTrue();
        }

        long killedAt = System.nanoTime();
        cluster.node(2).process().close(); // SIGKILL: no goodbye
        Map<Integer, long[]> judged = Map.of(1, new long[2], 3, new long[2]);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(25)).until(() -> {
            long t = (System.nanoTime() - killedAt) / 1_000_000;
            for (Map.Entry<Integer, long[]> e : judged.entrySet()) {
                String state = cluster.servers(cluster.node(e.getKey())).get("node-2");
                if (e.getValue()[0] == 0 && ("suspect".equals(state) || "dead".equals(state))) {
                    e.getValue()[0] = t;
                }
                if (e.getValue()[1] == 0 && "dead".equals(state)) {
                    e.getValue()[1] = t;
                }
            }
            return judged.values().stream().allMatch(times -> times[1] > 0);
        });
        for (Map.Entry<Integer, long[]> e : judged.entrySet()) {
            long suspect = e.getValue()[0];
            long dead = e.getValue()[1];
            System.out.printf("peers mode, kill -9 of node 2: node %d saw it suspect after %d ms, dead after %d ms "
                    + "(heartbeat %d ms, suspect after 2, dead after 4)%n", e.getKey(), suspect, dead, PERIOD_MS);
            assertThat(suspect).as("suspect before dead on node " + e.getKey()).isLessThan(dead);
            assertThat(suspect).as("suspect on node " + e.getKey()).isGreaterThanOrEqualTo(PERIOD_MS);
            // 4 periods of silence, plus a heartbeat answer or poll in flight and this test's polling of 3 nodes
            assertThat(dead).as("dead on node " + e.getKey()).isLessThan(4 * PERIOD_MS + 1500);
        }

        cluster.restartNode(2, FAST);
        for (int i = 1; i <= 3; i++) {
            NodeProcess observer = cluster.node(i);
            await("node " + i + " sees node 2 back").atMost(Duration.ofSeconds(15))
                    .until(() -> cluster.servers(observer).equals(ALL_ALIVE));
        }

        String intruder = "{\"summary\": {\"server_id\": \"intruder\", \"address\": \"127.0.0.9:5080\"}}";
        HttpResponse<String> refused = ClusterHarness.post(cluster.node(1), "/cluster/api/heartbeat", intruder,
                "wrong-key");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"code\":401");
        String forged = "{\"server_id\": \"intruder\", \"sessions\": [{\"stream_path\": \"live/forged\", "
                + "\"node_id\": \"intruder\", \"status\": \"broadcasting\", \"version\": 1, \"start_time\": 1, "
                + "\"generation\": 99, \"broadcast\": {\"streamId\": \"forged\", \"status\": \"broadcasting\", "
                + "\"originNode\": \"intruder\"}}]}";
        assertThat(ClusterHarness.post(cluster.node(1), "/cluster/api/sessions/sync", forged, "wrong-key")
                .statusCode()).isEqualTo(401);
        assertThat(ClusterHarness.post(cluster.node(1), "/cluster/api/servers/sync",
                "{\"summaries\": [{\"server_id\": \"intruder\", \"address\": \"127.0.0.9:5080\"}]}", "wrong-key")
                .statusCode()).isEqualTo(401);
        // Given time to spread, had anything been taken: still the three nodes, and no forged stream anywhere.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
                cluster.servers(cluster.node(1)).equals(ALL_ALIVE) && cluster.servers(cluster.node(3)).equals(ALL_ALIVE)
                        && !cluster.sessions(cluster.node(1)).containsKey("live/forged"));
    }
}
