package io.tributary.cluster.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.directory.ClaimRequest;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.node.NodeState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stream directory on peers mode: the scenarios of the directory's claim and release tests, with each
 * node's directory on its own copy and the copies kept in step by peer sync instead of a store and
 * notifications. Two nodes that claim one stream at once end with the same origin on every node (the
 * earlier claim), and the survivors of a dead node release its streams.
 */
class PeersDirectoryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ClaimRequest ENCODER = new ClaimRequest("RTMP", "192.0.2.7");

    @TempDir
    Path dir;

    private final InMemoryPeers network = new InMemoryPeers();
    private final List<PeerNode> nodes = new ArrayList<>();
    private final Map<String, StreamDirectory> directories = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> walls = new ConcurrentHashMap<>();
    private final Map<String, List<DirectoryEntry>> heard = new ConcurrentHashMap<>();
    private final List<ExecutorService> executors = new ArrayList<>();
    private StreamDirectory a;
    private StreamDirectory b;
    private StreamDirectory c;

    @AfterEach
    void close() {
        executors.forEach(ExecutorService::shutdownNow);
        nodes.forEach(PeerNode::close);
        network.close();
    }

    private StreamDirectory start(String id, String... seeds) {
        PeerNode n = PeerNode.start(network, dir.resolve(id), id, seeds);
        nodes.add(n);
        ExecutorService storeExecutor = Executors.newSingleThreadExecutor();
        executors.add(storeExecutor);
        AtomicLong wall = new AtomicLong(System.currentTimeMillis());
        walls.put(id, wall);
        StreamDirectory d = new StreamDirectory(n.store, n.member.membership(), (node, timeout) -> true,
                Duration.ofMillis(500), app -> true, id + ".example.net", storeExecutor, wall::get);
        n.store.subscribe(d::onStoreEvent);
        n.member.membership().addListener(d);
        List<DirectoryEntry> updates = new CopyOnWriteArrayList<>();
        d.addListener(updates::add);
        heard.put(id, updates);
        directories.put(id, d);
        return d;
    }

    private static Optional<String> origin(StreamDirectory d) {
        return d.lookup("live", "cam").filter(DirectoryEntry::live).map(DirectoryEntry::originNode);
    }

    /** Starts nodes a, b and c (b and c given a as their seed) and waits until each sees all three alive. */
    private void threeNodes() {
        a = start("node-a");
        b = start("node-b", "node-a");
        c = start("node-c", "node-a");
        for (PeerNode n : nodes) {
            await().atMost(WAIT).until(() -> n.member.membership().nodes().size() == 3
                    && n.member.membership().nodes().stream().allMatch(v -> v.state() == NodeState.ALIVE));
        }
    }

    private static void awaitOrigin(String node, StreamDirectory... on) {
        for (StreamDirectory d : on) {
            await().atMost(WAIT).until(() -> origin(d).equals(Optional.ofNullable(node)));
        }
    }

    @Test
    void aClaimAndItsReleaseReachEveryNode() {
        threeNodes();

        a.claim("live", "cam", ENCODER);
        awaitOrigin("node-a", b, c);
        assertThat(b.lookup("live", "cam").orElseThrow().originAddress()).isEqualTo("node-a.example.net");

        a.release("live", "cam", r -> r);
        for (StreamDirectory d : List.of(b, c)) {
            await().atMost(WAIT).until(() -> d.lookup("live", "cam").isEmpty());
        }
    }

    @Test
    void twoNodesThatAcceptOneStreamAtOnceEndWithTheEarlierClaimEverywhere() {
        threeNodes();

        network.cut("node-b"); // b's claim and a's cross in flight
        walls.get("node-b").set(walls.get("node-a").get() + 5_000);
        a.claim("live", "cam", ENCODER);
        b.claim("live", "cam", ENCODER);
        assertThat(origin(b)).as("each node accepted it locally").contains("node-b");
        network.heal("node-b");

        awaitOrigin("node-a", a, b, c);
        assertThat(heard.get("node-b")).as("node-b's directory told its listeners it lost the stream")
                .anyMatch(e -> e.live() && e.originNode().equals("node-a"));
    }

    @Test
    void theSurvivorsOfADeadNodeReleaseItsStreams() {
        threeNodes();
        c.claim("live", "cam", ENCODER);
        awaitOrigin("node-c", a, b);

        network.cut("node-c");

        for (StreamDirectory d : List.of(a, b)) {
            await().atMost(WAIT).until(() -> d.lookup("live", "cam").map(e -> e.status() == BroadcastStatus.FINISHED
                    || e.deleted()).orElse(true));
        }
        network.heal("node-c");
        awaitOrigin(null, c);
    }

    @Test
    void aNodeThatJoinsLaterReadsTheStreamsAlreadyLive() {
        start("node-a").claim("live", "cam", ENCODER);

        awaitOrigin("node-a", start("node-d", "node-a"));
    }
}
