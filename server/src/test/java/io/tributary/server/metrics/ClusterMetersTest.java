package io.tributary.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.testing.RedisProcess;
import io.tributary.media.StreamPath;
import io.tributary.server.testing.Cleanup;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nodes on one Redis store, each scraped as Prometheus would: its peers' heartbeat ages and states (a peer
 * that stops heartbeating turns dead), notifications sent and refused, an edge's relay pull. The shipped
 * alert rules and dashboard are checked against these scrapes: every metric they use is there.
 */
class ClusterMetersTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-metrics-test";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RedisProcess redis;
    @AutoClose
    private final Cleanup cleanup = new Cleanup();

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Test
    void aNodeShowsItsPeersHeartbeatAgesAndStatesAndForgetsPeersThatLeave() {
        TestNode a = node("peers-a", SECRET);
        TestNode b = node("peers-b", SECRET);

        await().atMost(WAIT).untilAsserted(() -> {
            Scrape s = Scrape.of(a);
            assertThat(s.value("tributary_peer_state", "peer", "peers-b", "state", "alive")).isEqualTo(1);
            assertThat(s.value("tributary_peer_state", "peer", "peers-b", "state", "dead")).isZero();
            assertThat(s.value("tributary_peer_heartbeat_age_seconds", "peer", "peers-b"))
                    .as("a live peer's heartbeat is under two 500 ms periods old").isLessThan(1.0);
            assertThat(s.value("tributary_cluster_nodes", "state", "alive")).isEqualTo(2);
            assertThat(s.all("tributary_peer_state", "peer", "peers-a")).as("a node is not its own peer").isEmpty();
        });

        // A node that stops heartbeating without leaving: a record whose counter never moves.
        a.node().cluster().store().putNode(new NodeRecord("peers-ghost", "ghost-instance", "127.0.0.1", "127.0.0.1",
                1, 1, List.of("origin", "edge"), "test", 0, -1, NodeLoad.IDLE, 0, 0));
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape s = Scrape.of(a);
            assertThat(s.value("tributary_peer_state", "peer", "peers-ghost", "state", "dead")).isEqualTo(1);
            assertThat(s.value("tributary_peer_state", "peer", "peers-ghost", "state", "alive")).isZero();
            assertThat(s.value("tributary_peer_heartbeat_age_seconds", "peer", "peers-ghost"))
                    .as("dead after four 500 ms periods").isGreaterThanOrEqualTo(2.0);
            assertThat(s.value("tributary_cluster_nodes", "state", "dead")).isEqualTo(1);
            assertThat(s.value("tributary_peer_state", "peer", "peers-b", "state", "alive")).isEqualTo(1);
        });

        a.node().cluster().store().removeNode("peers-ghost");
        b.close();
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape s = Scrape.of(a);
            assertThat(s.anyLabelled("peer", "peers-ghost")).as("an operator removed it").isFalse();
            assertThat(s.anyLabelled("peer", "peers-b")).as("it left cleanly").isFalse();
            assertThat(s.value("tributary_cluster_nodes", "state", "alive")).isEqualTo(1);
        });
    }

    @Test
    void notificationsAndRelayPullsAreCountedAndTheAlertRulesAndDashboardFindEveryMetricTheyUse() {
        TestNode origin = node("relay-origin", SECRET);
        TestNode edge = node("relay-edge", SECRET);
        // A node given another secret refuses this cluster's tokens: notifications to it fail.
        node("relay-stranger", SECRET.replace('0', 'x'));
        await().atMost(WAIT).until(() -> Scrape.of(origin).all("tributary_peer_state", "state", "alive").stream()
                .filter(x -> x.value() == 1).count() == 2);

        ManagedProcess publisher = cleanup.add(Ffmpeg.publishConstantBitrate(origin.rtmpUrl("live", "shared"),
                Duration.ofSeconds(60), 500));
        await().atMost(WAIT).until(() -> origin.node().streams().find(new StreamPath("live", "shared"))
                .map(s -> s.info().width() > 0).orElse(false));
        cleanup.add(Ffmpeg.play(edge.httpUrl("/live/shared.flv")));

        await().atMost(WAIT).untilAsserted(() -> {
            Scrape o = Scrape.of(origin);
            assertThat(o.value("tributary_cluster_notifications_total", "result", "sent"))
                    .as("publish started, told to the edge").isGreaterThanOrEqualTo(1);
            assertThat(o.value("tributary_cluster_notifications_total", "result", "failed"))
                    .as("refused by the node with another secret").isGreaterThanOrEqualTo(1);
            assertThat(o.value("tributary_publishers")).isEqualTo(1);
            assertThat(o.value("tributary_stream_viewers", "stream", "shared", "protocol", "rtmp"))
                    .as("the edge's pull is not a viewer").isZero();
            assertThat(o.value("tributary_connections", "protocol", "rtmp")).as("ffmpeg and the edge's pull")
                    .isEqualTo(2);

            Scrape e = Scrape.of(edge);
            assertThat(e.value("tributary_relay_pulls")).isEqualTo(1);
            assertThat(e.value("tributary_relay_pull_attempts_total")).isGreaterThanOrEqualTo(1);
            assertThat(e.value("tributary_relay_pull_failures_total")).isZero();
            assertThat(e.value("tributary_publishers")).as("a pulled stream has no publisher here").isZero();
            assertThat(e.value("tributary_streams")).isEqualTo(1);
            assertThat(e.value("tributary_stream_viewers", "stream", "shared", "protocol", "http_flv")).isEqualTo(1);
            assertThat(e.value("tributary_stream_ingest_bits_per_second", "stream", "shared")).isPositive();
        });

        Set<String> scraped = new TreeSet<>(Scrape.of(origin).names());
        scraped.addAll(Scrape.of(edge).names());
        assertThat(MonitoringFiles.alertRules().metrics()).as("metrics the alert rules use").isNotEmpty()
                .allSatisfy(name -> assertThat(scraped).as("scraped metrics").contains(name));
        assertThat(MonitoringFiles.dashboard().metrics()).as("metrics the Grafana dashboard uses").isNotEmpty()
                .allSatisfy(name -> assertThat(scraped).as("scraped metrics").contains(name));
        publisher.close();
    }

    private TestNode node(String id, String secret) {
        return cleanup.add(TestNode.builder().set("nodeId", id).set("cluster.store", redis.uri())
                .set("cluster.secret", secret).set("cluster.heartbeatPeriod", "500ms")
                .set("cluster.relay.releaseDelay", "1s").start());
    }
}
