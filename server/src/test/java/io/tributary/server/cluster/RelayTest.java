package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.cluster.comm.ClusterSecrets;
import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.cluster.relay.RelayTokens;
import io.tributary.cluster.relay.RelayView;
import io.tributary.cluster.testing.RedisProcess;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.rtmp.client.PlayListener;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpStatusException;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.rtmp.command.Status;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Edges pull a stream from its origin once, share it, release it, refuse bad pulls and follow failovers. */
class RelayTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-relay-test";

    private static RedisProcess redis;
    private static MultiThreadIoEventLoopGroup loops;
    private static RtmpClient client;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        client = new RtmpClient(loops, NioSocketChannel.class);
    }

    @AfterAll
    static void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        redis.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    @Test
    void oneEdgePullServesAllItsViewersAndIsReleasedAfterTheLastLeaves() throws Exception {
        TestNode origin = node("origin-a", "origin");
        TestNode edge = node("edge-b", "edge");
        publish(origin, "shared");
        List<Counter> players = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            players.add(play(edge, "shared"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> players.stream().allMatch(p -> p.frames.get() > 30));

        assertThat(serving(origin, "live/shared")).as("one relay from the origin, for three viewers").isEqualTo(1);
        assertThat(pulls(edge)).extracting(RelayView::streamPath, RelayView::state)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("live/shared", "live"));
        var stream = origin.node().streams().find(new StreamPath("live", "shared")).orElseThrow();
        assertThat(stream.totalViewers()).as("a relay pull is not a viewer").isZero();
        // The broadcast's viewer counts are cluster totals (the edge reports its viewers by heartbeat).
        await().atMost(Duration.ofSeconds(5)).until(() -> edge.node().cluster().remoteViewers("live/shared", "rtmp") == 0
                && origin.node().cluster().remoteViewers("live/shared", "rtmp") == 3);

        long firstLeft = System.nanoTime();
        players.forEach(Counter::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> pulls(edge).isEmpty() && serving(origin, "live/shared") == 0);
        long releasedAfter = (System.nanoTime() - firstLeft) / 1_000_000;
        assertThat(releasedAfter).as("released after the 1 s release delay").isBetween(900L, 5_000L);
    }

    @Test
    void aStreamThatExistsNowhereIsNotFoundWithoutStartingAPull() throws Exception {
        node("origin-a", "origin");
        TestNode edge = node("edge-b", "edge");
        RtmpSession session = connect(edge);
        assertThatThrownBy(() -> session.play("nowhere", f -> { }).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PLAY_STREAM_NOT_FOUND);
        assertThat(pulls(edge)).isEmpty();
    }

    @Test
    void anOriginRefusesRelayPullsWithoutAValidClusterTokenAndFromNodesThatAreNotOrigins() throws Exception {
        TestNode origin = node("origin-a", "origin");
        TestNode edge = node("edge-b", "edge");
        publish(origin, "guarded");
        Counter viewer = play(edge, "guarded");
        await().atMost(Duration.ofSeconds(10)).until(() -> viewer.frames.get() > 10);

        String forged = new ClusterTokens("edge-b", ClusterSecrets.of("another-secret-another-secret-another"),
                Duration.ofSeconds(30), Duration.ofSeconds(30), Clock.systemUTC())
                .issue("origin-a", Map.of("scope", RelayTokens.scope(new StreamPath("live", "guarded"))));
        ClusterTokens real = new ClusterTokens("edge-b", ClusterSecrets.of(SECRET), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Clock.systemUTC());
        String wrongStream = real.issue("origin-a", Map.of("scope", RelayTokens.scope(new StreamPath("live", "other"))));
        for (String token : new String[] {forged, wrongStream, "garbage"}) {
            RtmpSession s = connect(origin);
            assertThatThrownBy(() -> s.play("guarded?clusterToken=" + token, f -> { }).get(5, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RtmpStatusException.class)
                    .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PLAY_FAILED);
        }
        // The edge relays the stream; a valid token addressed to it still gets nothing: no relay loops.
        String toEdge = new ClusterTokens("origin-a", ClusterSecrets.of(SECRET), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Clock.systemUTC())
                .issue("edge-b", Map.of("scope", RelayTokens.scope(new StreamPath("live", "guarded"))));
        RtmpSession s = connect(edge);
        assertThatThrownBy(() -> s.play("guarded?clusterToken=" + toEdge, f -> { }).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class).hasMessageContaining("not the origin");
        assertThat(serving(origin, "live/guarded")).isEqualTo(1);
    }

    @Test
    void anOriginThatAcceptsButNeverSendsMediaIsAbandonedAfterTheEstablishTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0)) {
            List<Socket> accepted = new CopyOnWriteArrayList<>();
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        accepted.add(silent.accept());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            TestNode edge = started(TestNode.builder().set("nodeId", "edge-s").set("cluster.store", redis.uri())
                    .set("cluster.secret", SECRET).set("cluster.heartbeatPeriod", "500ms")
                    .set("cluster.originNodes", "127.0.0.1:" + silent.getLocalPort())
                    .set("cluster.relay.establishTimeout", "1s").set("cluster.relay.maxRetryAttempts", "1")
                    .set("cluster.relay.retryDelay", "200ms"));
            RtmpSession session = connect(edge);
            long start = System.nanoTime();
            assertThatThrownBy(() -> session.play("silent", f -> { }).get(15, TimeUnit.SECONDS))
                    .cause().isInstanceOf(RtmpStatusException.class)
                    .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PLAY_FAILED);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(accepted).as("the edge did try the origin, twice").hasSize(2);
            assertThat(millis).as("two attempts of 1 s and a 200 ms pause").isBetween(2_000L, 6_000L);
            accepted.forEach(sock -> {
                try {
                    sock.close();
                } catch (Exception ignored) {
                    // closing a test socket
                }
            });
        }
    }

    @Test
    void viewersOfAnEdgeRideThroughTheirOriginGoingAwayWithoutReconnecting() throws Exception {
        TestNode first = node("origin-a", "origin");
        TestNode second = node("origin-c", "origin");
        TestNode edge = node("edge-b", "edge");
        ManagedProcess encoder = publish(first, "moving");
        Counter viewer = play(edge, "moving");
        await().atMost(Duration.ofSeconds(10)).until(() -> viewer.frames.get() > 30);

        first.stop(); // the encoder's connection drops with its origin
        encoder.close();
        long gone = viewer.frames.get();
        await().atMost(Duration.ofSeconds(5)).until(() -> viewer.statuses.contains(Status.PLAY_UNPUBLISH_NOTIFY));

        long republished = System.nanoTime();
        publish(second, "moving");
        await().atMost(Duration.ofSeconds(10)).until(() -> viewer.frames.get() > gone + 30);
        System.out.printf("edge viewer saw frames again %d ms after the republish on another origin%n",
                (System.nanoTime() - republished) / 1_000_000);
        assertThat(viewer.closed).isFalse();
        assertThat(viewer.statuses).containsSubsequence(Status.PLAY_START, Status.PLAY_UNPUBLISH_NOTIFY,
                Status.PLAY_PUBLISH_NOTIFY);
        assertThat(viewer.monotonic).as("timestamps never went back across the failover").isTrue();
        assertThat(pulls(edge)).extracting(RelayView::originNode).containsExactly("origin-c");
    }

    // --- helpers ------------------------------------------------------------------------------------

    private TestNode node(String id, String roles) {
        return started(TestNode.builder().set("nodeId", id).set("cluster.store", redis.uri())
                .set("cluster.secret", SECRET).set("cluster.heartbeatPeriod", "500ms").set("roles", roles)
                .set("cluster.relay.releaseDelay", "1s"));
    }

    private TestNode started(TestNode.Builder builder) {
        TestNode n = builder.start();
        open.add(n);
        return n;
    }

    private ManagedProcess publish(TestNode node, String id) {
        ManagedProcess p = Ffmpeg.publish(node.rtmpUrl("live", id), Duration.ofSeconds(60));
        open.add(p);
        await().atMost(Duration.ofSeconds(15)).until(() -> node.node().streams().find(new StreamPath("live", id))
                .map(s -> s.info().width() > 0).orElse(false));
        return p;
    }

    private RtmpSession connect(TestNode node) throws Exception {
        RtmpSession s = client.connect(RtmpUrl.parse(node.rtmpUrl("live", "")), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);
        open.add(s);
        return s;
    }

    private Counter play(TestNode node, String id) throws Exception {
        Counter c = new Counter();
        c.session = connect(node);
        c.session.play(id, c).get(15, TimeUnit.SECONDS);
        return c;
    }

    private static List<RelayView> pulls(TestNode node) {
        return node.node().cluster().relays().views().stream().filter(v -> v.direction().equals("pull")).toList();
    }

    private static int serving(TestNode node, String path) {
        return node.node().cluster().relays().views().stream()
                .filter(v -> v.direction().equals("serve") && v.streamPath().equals(path))
                .mapToInt(RelayView::subscriberCount).sum();
    }

    /** A player that counts video frames and checks its timestamps never go back. */
    private static final class Counter implements PlayListener {
        final AtomicLong frames = new AtomicLong();
        final List<String> statuses = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile boolean monotonic = true;
        private long lastVideo = -1;
        RtmpSession session;

        @Override
        public synchronized void onFrame(Frame frame) {
            if (frame.isVideo()) {
                if (frame.dts() < lastVideo) {
                    monotonic = false;
                }
                lastVideo = frame.dts();
                frames.incrementAndGet();
            }
        }

        @Override
        public void onStatus(String code, io.tributary.media.amf.AmfObject info) {
            statuses.add(code);
        }

        @Override
        public void onClose() {
            closed = true;
        }

        void close() {
            session.close();
        }
    }
}
