package io.tributary.cluster.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.membership.TestMember;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.EmbeddedStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notifier of node-a telling its peers, each a real HTTP server standing in for a node, what happened
 * on node-a. Peers are records in node-a's store whose membership clock stands still, so they stay alive.
 */
class ClusterNotifierTest {
    private static final String SECRET = "a-cluster-secret-of-at-least-32-characters";
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MS = 1_000_000L;

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private TestMember self;
    private ScheduledExecutorService retryTimer;
    private final List<Peer> peers = new ArrayList<>();

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dataDir);
        self = TestMember.start(store, "node-a", TestMember.fast(), () -> 0L);
        retryTimer = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException {
        peers.forEach(Peer::close);
        retryTimer.shutdownNow();
        retryTimer.awaitTermination(2, TimeUnit.SECONDS);
        self.close();
        store.close();
    }

    /** A node that answers each request with the next status of its script, then 200. */
    private Peer peer(String nodeId, Integer... statuses) throws IOException {
        Peer p = new Peer(nodeId, List.of(statuses));
        peers.add(p);
        store.putNode(new NodeRecord(nodeId, nodeId + "-1", "203.0.113.9", "127.0.0.1", 1935, p.port(),
                List.of("origin", "edge"), "test", 0, -1, null, 0, 0));
        await().atMost(WAIT).until(() -> self.membership().peers().stream().anyMatch(r -> r.id().equals(nodeId)));
        return p;
    }

    private ClusterNotifier notifier(int retries) {
        ClusterTokens tokens = new ClusterTokens("node-a", ClusterSecrets.of(SECRET), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Clock.systemUTC());
        return new ClusterNotifier(self.membership(), tokens, ClusterHttp.newClient(null, Duration.ofSeconds(2)),
                "http", new ClusterNotifier.Settings(Duration.ofSeconds(3), retries, Duration.ofMillis(50)),
                retryTimer);
    }

    private static DirectoryEntry live(String streamId) {
        return new DirectoryEntry("live", streamId, BroadcastStatus.BROADCASTING, "node-a", "node-a.example.net",
                3, false, null, null, 1_700_000_000_000L, 0);
    }

    private static VerifiedToken verifyAs(String receiver, String token) throws ClusterTokenException {
        return new ClusterTokens(receiver, ClusterSecrets.of(SECRET), Duration.ofSeconds(30), Duration.ofSeconds(5),
                Clock.systemUTC()).verify(token, receiver);
    }

    @Test
    void aStartedStreamIsPostedToEveryPeerWithATokenAddressedToThatPeer() throws Exception {
        Peer b = peer("node-b");
        Peer c = peer("node-c");
        ClusterNotifier notifier = notifier(2);
        DirectoryEntry entry = live("cam1");

        notifier.published(entry);

        await().atMost(WAIT).until(() -> notifier.sentCount() == 2);
        for (Peer p : List.of(b, c)) {
            Peer.Request r = p.requests().get(0);
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.path()).isEqualTo("/live/rest/cluster-communication/publish-started-notification/cam1");
            assertThat(r.contentType()).isEqualTo("application/json");
            assertThat(Json.mapper().readValue(r.body(), DirectoryEntry.class)).isEqualTo(entry);
            assertThat(r.authorization()).startsWith("Bearer ");
            VerifiedToken token = verifyAs(p.nodeId, ClusterTokens.bearer(r.authorization()));
            assertThat(token.issuer()).isEqualTo("node-a");
            assertThat(token.audience()).isEqualTo(p.nodeId);
        }
        String tokenForB = ClusterTokens.bearer(b.requests().get(0).authorization());
        assertThatThrownBy(() -> verifyAs("node-c", tokenForB)).isInstanceOf(ClusterTokenException.class)
                .satisfies(e -> assertThat(((ClusterTokenException) e).reason())
                        .isEqualTo(ClusterTokenException.Reason.WRONG_AUDIENCE));
        assertThat(notifier.failedCount()).isZero();
    }

    @Test
    void aStoppedStreamIsPostedAsAStopNotificationWithItsTrackRoleInTheQuery() throws Exception {
        Peer b = peer("node-b");
        ClusterNotifier notifier = notifier(2);
        DirectoryEntry entry = new DirectoryEntry("live", "cam1-sub", BroadcastStatus.FINISHED, null, null, 4, false,
                "camera-2", "cam1", 1_700_000_000_000L, 0);

        notifier.unpublished(entry);

        await().atMost(WAIT).until(() -> notifier.sentCount() == 1);
        Peer.Request r = b.requests().get(0);
        assertThat(r.path()).isEqualTo("/live/rest/cluster-communication/publish-stopped-notification/cam1-sub");
        assertThat(r.query()).isEqualTo("role=camera-2&mainTrackId=cam1");
        assertThat(Json.mapper().readValue(r.body(), DirectoryEntry.class)).isEqualTo(entry);
    }

    @Test
    void aRoomMessageIsPostedWithItsBinaryFlagAndBytes() throws Exception {
        Peer b = peer("node-b");
        ClusterNotifier notifier = notifier(2);
        byte[] data = {0, 1, 2, (byte) 0xff};

        notifier.virtualStreamData("live", "room1", true, data);
        notifier.virtualStreamData("live", "room1", false, "hello".getBytes(StandardCharsets.UTF_8));

        await().atMost(WAIT).until(() -> notifier.sentCount() == 2);
        List<Peer.Request> got = b.requests();
        Peer.Request binary = got.stream().filter(r -> r.path().endsWith("/true")).findFirst().orElseThrow();
        Peer.Request text = got.stream().filter(r -> r.path().endsWith("/false")).findFirst().orElseThrow();
        assertThat(binary.path()).isEqualTo("/live/rest/cluster-communication/virtual-stream-data-message/room1/true");
        assertThat(binary.contentType()).isEqualTo("application/octet-stream");
        assertThat(binary.body()).containsExactly(data);
        assertThat(text.contentType()).startsWith("text/plain");
        assertThat(new String(text.body(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void aPeerThatFailsIsAskedAgainUntilItSucceeds() throws Exception {
        Peer b = peer("node-b", 500, 503);
        ClusterNotifier notifier = notifier(2);

        notifier.published(live("cam1"));

        await().atMost(WAIT).until(() -> notifier.sentCount() == 1);
        assertThat(b.requests()).hasSize(3);
        assertThat(notifier.failedCount()).isZero();
        List<String> tokens = b.requests().stream().map(Peer.Request::authorization).toList();
        assertThat(tokens).as("each attempt carries a token of its own").doesNotHaveDuplicates();
    }

    @Test
    void aPeerThatKeepsFailingIsGivenUpAfterTheConfiguredRetries() throws Exception {
        Peer b = peer("node-b", 500, 500, 500, 500, 500, 500);
        ClusterNotifier notifier = notifier(2);

        notifier.published(live("cam1"));

        await().atMost(WAIT).until(() -> notifier.failedCount() == 1);
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> b.requests().size() == 3);
        assertThat(notifier.sentCount()).isZero();
    }

    @Test
    void aPeerThatRefusesTheTokenIsNotAskedAgain() throws Exception {
        Peer b = peer("node-b", 401, 401, 401);
        ClusterNotifier notifier = notifier(2);

        notifier.published(live("cam1"));

        await().atMost(WAIT).until(() -> notifier.failedCount() == 1);
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() -> b.requests().size() == 1);
        assertThat(notifier.sentCount()).isZero();
    }

    @Test
    void aPeerThatCannotBeReachedCountsAsFailedAfterTheRetries() throws Exception {
        Peer b = peer("node-b");
        b.close(); // its port no longer answers
        ClusterNotifier notifier = notifier(1);

        notifier.published(live("cam1"));

        await().atMost(WAIT).until(() -> notifier.failedCount() == 1);
        assertThat(notifier.sentCount()).isZero();
    }

    @Test
    void oneSlowPeerDoesNotDelayTheOthers() throws Exception {
        Peer slow = peer("node-b");
        Peer fast = peer("node-c");
        Peer alsoFast = peer("node-d");
        ClusterNotifier notifier = notifier(0);
        CountDownLatch released = slow.hold();

        long began = System.nanoTime();
        notifier.published(live("cam1"));
        long callMs = (System.nanoTime() - began) / MS;

        try {
            await().atMost(WAIT).until(() -> notifier.sentCount() == 2);
            long fastMs = (fast.requests().get(0).atNanos() - began) / MS;
            long alsoFastMs = (alsoFast.requests().get(0).atNanos() - began) / MS;
            assertThat(callMs).as("published() returns without waiting for any peer").isLessThan(200);
            assertThat(fastMs).as("ms until node-c was told").isLessThan(1000);
            assertThat(alsoFastMs).as("ms until node-d was told").isLessThan(1000);
            assertThat(slow.requests()).as("node-b got the request and is still answering").hasSize(1);
            assertThat(notifier.sentCount()).isEqualTo(2);
        } finally {
            released.countDown();
        }
        await().atMost(WAIT).until(() -> notifier.sentCount() == 3);
    }

    @Test
    void deadNodesAreNotTold() throws Exception {
        Peer b = peer("node-b");
        Peer c = peer("node-c");
        store.markDead("node-c", 0);
        await().atMost(WAIT).until(() -> self.membership().state("node-c").orElseThrow() == NodeState.DEAD);
        ClusterNotifier notifier = notifier(0);

        notifier.published(live("cam1"));

        await().atMost(WAIT).until(() -> notifier.sentCount() == 1);
        assertThat(b.requests()).hasSize(1);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> c.requests().isEmpty());
    }

    /** A node's HTTP port, as far as cluster communication goes. */
    private static final class Peer implements AutoCloseable {

        record Request(String method, String path, String query, String authorization, String contentType,
                       byte[] body, long atNanos) {
        }

        private final String nodeId;
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final Queue<Integer> script;
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private volatile CountDownLatch hold;
        private boolean closed;

        Peer(String nodeId, List<Integer> statuses) throws IOException {
            this.nodeId = nodeId;
            this.script = new ConcurrentLinkedQueue<>(statuses);
            this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(threads);
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        List<Request> requests() {
            return List.copyOf(requests);
        }

        /** From now on the peer answers only once the returned latch is counted down. */
        CountDownLatch hold() {
            CountDownLatch latch = new CountDownLatch(1);
            hold = latch;
            return latch;
        }

        private void handle(HttpExchange exchange) throws IOException {
            byte[] body = exchange.getRequestBody().readAllBytes();
            requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body, System.nanoTime()));
            CountDownLatch latch = hold;
            if (latch != null) {
                try {
                    latch.await(10, TimeUnit.SECONDS); // a slow node, not a test waiting for a condition
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer scripted = script.poll();
            int status = scripted == null ? 200 : scripted;
            byte[] answer = ("{\"success\":" + (status == 200) + "}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            CountDownLatch latch = hold;
            if (latch != null) {
                latch.countDown();
            }
            server.stop(0);
            threads.shutdownNow();
        }
    }
}
