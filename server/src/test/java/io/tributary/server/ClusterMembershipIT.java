package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.ClusterHarness;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.NodeProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three node processes on 127.0.0.1-3 sharing a real redis-server, with the default 5 s heartbeat: they
 * find each other, learn about a stream within a second of its publish, refuse a second origin, and carry
 * conference messages between nodes.
 */
class ClusterMembershipIT {
    private static ClusterHarness cluster;

    @BeforeAll
    static void startCluster() {
        cluster = ClusterHarness.start(3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyNodeListsTheOthersAsAlive() {
        Map<String, String> allAlive = Map.of("node-1", "alive", "node-2", "alive", "node-3", "alive");
        for (int i = 1; i <= 3; i++) {
            NodeProcess node = cluster.node(i);
            await().atMost(Duration.ofSeconds(15)).until(() -> cluster.servers(node).equals(allAlive));
        }
    }

    @Test
    void aStreamPublishedOnNodeOneIsKnownOnTheOthersWithinASecondAndASecondOriginIsRefused() {
        try (ManagedProcess publisher = Ffmpeg.publish(cluster.node(1).rtmpUrl("live", "demo"), Duration.ofSeconds(60))) {
            long[] seenAt = new long[4];
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (int i = 1; i <= 3; i++) {
                    if (seenAt[i] == 0 && "node-1".equals(cluster.sessions(cluster.node(i)).get("live/demo"))) {
                        seenAt[i] = System.nanoTime();
                    }
                }
                return seenAt[1] > 0 && seenAt[2] > 0 && seenAt[3] > 0;
            });
            long toNode2 = Math.max(0, (seenAt[2] - seenAt[1]) / 1_000_000);
            long toNode3 = Math.max(0, (seenAt[3] - seenAt[1]) / 1_000_000);
            System.out.printf("stream known on node 2 after %d ms, on node 3 after %d ms (heartbeat period 5 s)%n",
                    toNode2, toNode3);
            assertThat(toNode2).as("node 2 learns of the stream well before a heartbeat").isLessThan(1000);
            assertThat(toNode3).isLessThan(1000);

            try (ManagedProcess second = Ffmpeg.publish(cluster.node(2).rtmpUrl("live", "demo"), Duration.ofSeconds(5))) {
                assertThat(second.waitFor(Duration.ofSeconds(30))).isNotZero();
                assertThat(second.stderr()).contains("already being published on node node-1");
            }
            assertThat(publisher.isAlive()).isTrue();
            assertThat(cluster.sessions(cluster.node(3))).containsEntry("live/demo", "node-1");
        }
    }

    @Test
    void aNodeStartedWithTheIdOfALiveNodeIsRefused() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tributary-imposter");
        try (ManagedProcess imposter = ManagedProcess.start(List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                java.nio.file.Path.of("target", "tributary.jar").toAbsolutePath().toString(), "start",
                "--cluster", cluster.redis().uri(), "--cluster-secret", ClusterHarness.SECRET, "--node-id", "node-2",
                "--host", "127.0.0.4", "--rtmp-port", "0", "--http-port", "0", "--data-dir", dir.toString()))) {
            assertThat(imposter.waitFor(Duration.ofSeconds(60))).isEqualTo(1);
            assertThat(imposter.stderr()).contains("node id node-2 is held by a live node");
        } finally {
            io.tributary.server.testing.TestNode.deleteTree(dir);
        }
        assertThat(cluster.servers(cluster.node(1))).containsEntry("node-2", "alive").doesNotContainKey("127.0.0.4");
    }

    @Test
    void aConferenceMessageFromAParticipantOnNodeTwoReachesOneOnNodeThree() throws Exception {
        RoomParticipant onNode3 = RoomParticipant.join(cluster.node(3), "r1");
        RoomParticipant onNode2 = RoomParticipant.join(cluster.node(2), "r1");
        try {
            onNode2.send("{\"command\":\"sendData\",\"data\":\"hello from node 2\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> onNode3.received().stream()
                    .anyMatch(m -> m.contains("\"command\":\"receivedData\"") && m.contains("hello from node 2")));
            assertThat(onNode2.received()).noneMatch(m -> m.contains("hello from node 2"));
        } finally {
            onNode2.close();
            onNode3.close();
        }
    }

    /** A WebSocket participant in a conference room. */
    private static final class RoomParticipant implements WebSocket.Listener {
        private final List<String> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private WebSocket socket;

        static RoomParticipant join(NodeProcess node, String room) throws Exception {
            RoomParticipant p = new RoomParticipant();
            p.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://" + node.host() + ":" + node.httpPort() + "/live/websocket"), p)
                    .get(10, TimeUnit.SECONDS);
            p.send("{\"command\":\"joinRoom\",\"room\":\"" + room + "\"}");
            await().atMost(Duration.ofSeconds(10)).until(() -> p.received.stream()
                    .anyMatch(m -> m.contains("joinedTheRoom")));
            return p;
        }

        void send(String text) throws Exception {
            socket.sendText(text, true).get(5, TimeUnit.SECONDS);
        }

        List<String> received() {
            return received;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            socket.abort();
        }
    }
}
