package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.server.testing.ClusterHarness;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failures with short timers (500 ms heartbeats): an origin killed with SIGKILL becomes suspect, then dead
 * within four periods and its streams are released, while its publisher moves to another node at once;
 * then the store goes away for 10 s and comes back, and a live stream plays throughout.
 */
class ClusterFailoverIT {
    private static final long PERIOD_MS = 500;

    private ClusterHarness cluster;
    private MultiThreadIoEventLoopGroup loops;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (loops != null) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void anOriginKilledOutrightIsDeclaredDeadItsPublisherMovesAndTheClusterRidesOutAStoreOutage() throws Exception {
        cluster = ClusterHarness.start(3, "--set", "cluster.heartbeatPeriod=" + PERIOD_MS + "ms",
                "--set", "rtmp.idleTimeout=2m");
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        RtmpClient client = new RtmpClient(loops, NioSocketChannel.class);

        // Two streams on node 1: one whose encoder will move to node 2, one nobody takes up again.
        RtmpSession moving = connect(client, 1);
        moving.publish("moving").get(10, TimeUnit.SECONDS);
        RtmpSession orphan = connect(client, 1);
        orphan.publish("orphan").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> cluster.sessions(cluster.node(3))
                .equals(Map.of("live/moving", "node-1", "live/orphan", "node-1")));

        long killedAt = System.nanoTime();
        cluster.node(1).process().close(); // SIGKILL: no deregistration, no goodbye

        long claimStart = System.nanoTime();
        connect(client, 2).publish("moving").get(10, TimeUnit.SECONDS);
        long claimMillis = (System.nanoTime() - claimStart) / 1_000_000;

        long[] suspectAt = {0};
        long[] deadAt = {0};
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String state = cluster.servers(cluster.node(3)).get("node-1");
            long t = (System.nanoTime() - killedAt) / 1_000_000;
            if (suspectAt[0] == 0 && ("suspect".equals(state) || "dead".equals(state))) {
                suspectAt[0] = t;
            }
            if (deadAt[0] == 0 && "dead".equals(state)) {
                deadAt[0] = t;
            }
            return deadAt[0] > 0;
        });
        System.out.printf("after kill -9 of the origin: publisher accepted on node 2 in %d ms; node 1 suspect after "
                + "%d ms, dead after %d ms (period %d ms)%n", claimMillis, suspectAt[0], deadAt[0], PERIOD_MS);
        assertThat(claimMillis).as("the moved publisher does not wait for the dead threshold").isLessThan(1500);
        assertThat(suspectAt[0]).isLessThan(deadAt[0] + 1);
        assertThat(deadAt[0]).as("dead within 4 periods (plus this test's polling)").isLessThan(4 * PERIOD_MS + 400);

        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.sessions(cluster.node(3))
                .equals(Map.of("live/moving", "node-2")));
        assertThat(cluster.sessions(cluster.node(2))).isEqualTo(Map.of("live/moving", "node-2"));

        // A stream that plays on node 2 while Redis is away for 10 s.
        try (ManagedProcess steady = Ffmpeg.publish(cluster.node(2).rtmpUrl("live", "steady"), Duration.ofSeconds(90))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> "node-2".equals(
                    cluster.sessions(cluster.node(3)).get("live/steady")));
            AtomicLong frames = new AtomicLong();
            connect(client, 2).play("steady", f -> frames.incrementAndGet()).get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.get() > 30);

            cluster.redis().stop();
            AtomicLong last = new AtomicLong(frames.get());
            await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> frames.get() > last.getAndSet(frames.get()));
            cluster.redis().restart();

            Map<String, String> whole = Map.of("node-2", "alive", "node-3", "alive");
            await().atMost(Duration.ofSeconds(20)).until(() -> cluster.servers(cluster.node(2)).equals(whole)
                    && cluster.servers(cluster.node(3)).equals(whole)
                    && cluster.sessions(cluster.node(3)).equals(Map.of("live/moving", "node-2", "live/steady", "node-2")));
            long before = frames.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> frames.get() > before + 30);
            assertThat(steady.isAlive()).isTrue();
        }
    }

    private RtmpSession connect(RtmpClient client, int node) throws Exception {
        return client.connect(RtmpUrl.parse(cluster.node(node).rtmpUrl("live", "")), Duration.ofSeconds(10))
                .get(10, TimeUnit.SECONDS);
    }
}
