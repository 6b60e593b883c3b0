package io.tributary.cluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.StreamViewers;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.settings.StreamAccessSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every cluster store engine promises, tested the same way against each: embedded, Redis (a real
 * redis-server) and MongoDB (mongo-java-server). Two clients of one backend stand for two nodes. The peers
 * engine, which has no backend to share, runs it on one node ({@code PeersStoreContractTest} says what it
 * promises across nodes instead).
 */
public abstract class ClusterStoreContract {

    protected ClusterStore store;
    protected ClusterStore peer;

    /** A fresh, empty store for one test. */
    protected abstract ClusterStore openStore() throws Exception;

    /**
     * Another client of the same backend, as a second node would have; the embedded engine, which has
     * one client by nature, returns {@code first}.
     */
    protected abstract ClusterStore openPeer(ClusterStore first) throws Exception;

    @BeforeEach
    void openBoth() throws Exception {
        store = openStore();
        peer = openPeer(store);
    }

    @AfterEach
    void closeBoth() {
        if (peer != null && peer != store) {
            peer.close();
        }
        if (store != null) {
            store.close();
        }
    }

    // --- broadcasts -------------------------------------------------------------------------------

    @Test
    void aBroadcastWrittenByOneNodeIsReadByAnother() {
        Broadcast b = new Broadcast("cam1");
        b.setName("Camera 1");
        assertThat(store.create("live", b)).isTrue();

        Broadcast seen = peer.get("live", "cam1").orElseThrow();
        assertThat(seen.getName()).isEqualTo("Camera 1");
        assertThat(seen.getVersion()).isEqualTo(1);
        assertThat(peer.get("other", "cam1")).as("apps are separate").isEmpty();
    }

    @Test
    void ofRacingCreatesOnTwoNodesExactlyOneWins() throws Exception {
        for (int round = 0; round < 10; round++) {
            String id = "race" + round;
            List<Boolean> results = race(8, i -> (i % 2 == 0 ? store : peer).create("live", new Broadcast(id)));
            assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        }
    }

    @Test
    void compareAndSetSucceedsOnlyOnTheExpectedVersion() {
        store.create("live", new Broadcast("cas"));
        Broadcast claim = peer.get("live", "cas").orElseThrow();
        claim.setStatus(BroadcastStatus.BROADCASTING);
        claim.setOriginNode("node-b");

        Broadcast saved = peer.compareAndSet("live", claim, 1).orElseThrow();
        assertThat(saved.getVersion()).isEqualTo(2);
        assertThat(store.compareAndSet("live", claim, 1)).as("version 1 is stale now").isEmpty();
        assertThat(store.get("live", "cas").orElseThrow().getOriginNode()).isEqualTo("node-b");
        assertThat(store.compareAndSet("live", new Broadcast("absent"), 1)).isEmpty();
    }

    @Test
    void ofRacingClaimsOfOneVersionExactlyOneWins() throws Exception {
        store.create("live", new Broadcast("contested"));
        List<Boolean> results = race(8, i -> {
            Broadcast b = new Broadcast("contested");
            b.setOriginNode("node-" + i);
            b.setStatus(BroadcastStatus.BROADCASTING);
            return (i % 2 == 0 ? store : peer).compareAndSet("live", b, 1).isPresent();
        });
        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(store.get("live", "contested").orElseThrow().getVersion()).isEqualTo(2);
    }

    @Test
    void updatesFromTwoNodesAllLand() throws Exception {
        store.create("live", new Broadcast("counter"));
        race(20, i -> (i % 2 == 0 ? store : peer).update("live", "counter", b -> {
            b.setRtmpViewerCount(b.getRtmpViewerCount() + 1);
            return b;
        }));
        Broadcast b = store.get("live", "counter").orElseThrow();
        assertThat(b.getRtmpViewerCount()).isEqualTo(20);
        assertThat(b.getVersion()).isEqualTo(21);
    }

    @Test
    void deleteIfVersionDeletesOnlyTheVersionItSaw() {
        store.create("live", new Broadcast("gone"));
        store.update("live", "gone", b -> b);

        assertThat(peer.deleteIfVersion("live", "gone", 1)).isFalse();
        assertThat(store.get("live", "gone")).isPresent();
        assertThat(peer.deleteIfVersion("live", "gone", 2)).isTrue();
        assertThat(store.get("live", "gone")).isEmpty();
        assertThat(store.delete("live", "gone")).isFalse();
    }

    @Test
    void listsCountsAndFindsBroadcastsByOrigin() {
        for (int i = 0; i < 7; i++) {
            Broadcast b = new Broadcast("s" + i);
            b.setDate(1000 + i);
            b.setName(i % 2 == 0 ? "even " + i : "odd " + i);
            if (i < 3) {
                b.setStatus(BroadcastStatus.BROADCASTING);
                b.setOriginNode(i == 0 ? "node-a" : "node-b");
            }
            store.create(i == 6 ? "vod" : "live", b);
        }
        assertThat(peer.count("live")).isEqualTo(6);
        assertThat(peer.countByStatus("live", BroadcastStatus.BROADCASTING)).isEqualTo(3);
        assertThat(peer.list("live", 1, 2, BroadcastQuery.DEFAULT)).extracting(Broadcast::getStreamId)
                .containsExactly("s1", "s2");
        assertThat(peer.list("live", 0, 50, new BroadcastQuery("date", true, "EVEN")))
                .extracting(Broadcast::getStreamId).containsExactly("s4", "s2", "s0");
        assertThat(peer.broadcastingOn("node-b")).extracting(ab -> ab.app() + "/" + ab.broadcast().getStreamId())
                .containsExactlyInAnyOrder("live/s1", "live/s2");
        assertThat(peer.all().keySet()).containsExactlyInAnyOrder("live", "vod");
    }

    // --- nodes ------------------------------------------------------------------------------------

    @Test
    void aNodeRegistersHeartbeatsAndIsSeenByOthers() {
        store.putNode(node("node-a", "i1", 0));

        NodeLoad load = new NodeLoad(0.5, 1, 2, 3, 4, 5, 6, true, List.of(
                new StreamViewers("live/cam.1", java.util.Map.of("rtmp", 4, "flv", 2))));
        NodeRecord after = store.heartbeat("node-a", "i1", load, 99).orElseThrow();
        assertThat(after.heartbeat()).isEqualTo(1);
        NodeRecord seen = peer.node("node-a").orElseThrow();
        assertThat(seen.heartbeat()).isEqualTo(1);
        assertThat(seen.load().players()).isEqualTo(6);
        assertThat(seen.load().draining()).isTrue();
        assertThat(seen.load().viewersOf("live/cam.1").of("rtmp")).isEqualTo(4);
        assertThat(seen.load().viewersOf("live/cam.1").of("flv")).isEqualTo(2);
        assertThat(seen.load().viewersOf("live/other").of("rtmp")).isZero();
        assertThat(seen.advertise()).isEqualTo("10.0.0.1");
        assertThat(seen.roles()).containsExactly("origin", "edge");
        assertThat(peer.nodes()).extracting(NodeRecord::id).containsExactly("node-a");
    }

    @Test
    void aHeartbeatFromAnotherInstanceOrForAMissingRecordIsRefused() {
        store.putNode(node("node-a", "i1", 4));

        assertThat(peer.heartbeat("node-a", "other-instance", NodeLoad.IDLE, 1)).isEmpty();
        assertThat(store.node("node-a").orElseThrow().heartbeat()).isEqualTo(4);
        assertThat(peer.heartbeat("nobody", "i1", NodeLoad.IDLE, 1)).isEmpty();
        assertThat(store.node("nobody")).isEmpty();
    }

    @Test
    void ofSurvivorsDeclaringANodeDeadExactlyOneWinsAndAHeartbeatRevivesIt() throws Exception {
        store.putNode(node("node-a", "i1", 7));

        List<Boolean> results = race(8, i -> (i % 2 == 0 ? store : peer).markDead("node-a", 7));
        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(peer.node("node-a").orElseThrow().markedDead()).isTrue();
        assertThat(store.markDead("node-a", 6)).as("a stale counter").isFalse();

        store.heartbeat("node-a", "i1", NodeLoad.IDLE, 2);
        assertThat(peer.node("node-a").orElseThrow().markedDead()).isFalse();
        assertThat(peer.markDead("node-a", 8)).isTrue();
    }

    @Test
    void aRemovedNodeIsGoneForEveryone() {
        store.putNode(node("node-a", "i1", 0));
        store.putNode(node("node-b", "i2", 0));

        assertThat(peer.removeNode("node-a")).isTrue();
        assertThat(store.nodes()).extracting(NodeRecord::id).containsExactly("node-b");
        assertThat(store.removeNode("node-a")).isFalse();
        assertThat(store.heartbeat("node-a", "i1", NodeLoad.IDLE, 1)).isEmpty();
    }

    // --- settings ---------------------------------------------------------------------------------

    @Test
    void applicationSettingsAreSharedAndVersioned() {
        assertThat(store.appSettings("live")).isEqualTo(AppSettings.NONE);

        AppSettings first = store.putAppSettings("live", new AppSettings(false, 0, 10));
        AppSettings second = peer.putAppSettings("live", new AppSettings(true, 0, 20));

        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        assertThat(store.appSettings("live").acceptUndefinedStreams()).isTrue();
        assertThat(store.appSettings("vod")).isEqualTo(AppSettings.NONE);
    }

    @Test
    void theHlsSettingsOfAnApplicationRoundTrip() {
        peer.putAppSettings("live", new AppSettings(null, "llhls", true, 0, 30));

        AppSettings read = store.appSettings("live");
        assertThat(read.hlsMode()).isEqualTo("llhls");
        assertThat(read.hlsAlwaysOn()).isTrue();
        assertThat(read.acceptUndefinedStreams()).as("not set, so the node's own applies").isNull();
        assertThat(read.version()).isEqualTo(1);
    }

    @Test
    void theAccessSettingsOfAnApplicationRoundTrip() {
        StreamAccessSettings access = new StreamAccessSettings(null, true, false, true,
                "0123456789abcdef0123456789abcdef", true, "10.0.0.0/8,127.0.0.1", null, "http://hooks/play");
        peer.putAppSettings("live", new AppSettings(null, null, null, access, 0, 40));

        AppSettings read = store.appSettings("live");
        assertThat(read.access()).isEqualTo(access);
        assertThat(read.hlsMode()).isNull();
        assertThat(store.appSettings("vod").accessOrNone()).isEqualTo(StreamAccessSettings.NONE);
    }

    // --- records ----------------------------------------------------------------------------------

    @Test
    void aRecordWrittenByOneNodeIsReadListedAndReplacedByAnother() {
        assertThat(store.insertRecord(RecordKind.USER, "bob", "{\"v\":1}", Records.NEVER)).isTrue();
        assertThat(peer.insertRecord(RecordKind.USER, "bob", "{\"v\":2}", Records.NEVER))
                .as("a live record keeps its place").isFalse();
        store.insertRecord(RecordKind.USER, "alice", "{\"v\":3}", Records.NEVER);
        store.insertRecord(RecordKind.STREAM_TOKEN, "bob", "{\"token\":1}", Records.NEVER);

        assertThat(peer.record(RecordKind.USER, "bob")).contains("{\"v\":1}");
        assertThat(peer.records(RecordKind.USER)).containsExactly(
                java.util.Map.entry("alice", "{\"v\":3}"), java.util.Map.entry("bob", "{\"v\":1}"));
        peer.putRecord(RecordKind.USER, "bob", "{\"v\":4}", Records.NEVER);
        assertThat(store.record(RecordKind.USER, "bob")).contains("{\"v\":4}");
        assertThat(store.record(RecordKind.STREAM_TOKEN, "bob")).as("kinds are separate").contains("{\"token\":1}");

        assertThat(peer.deleteRecord(RecordKind.USER, "bob")).isTrue();
        assertThat(store.deleteRecord(RecordKind.USER, "bob")).isFalse();
        assertThat(store.records(RecordKind.USER)).containsOnlyKeys("alice");
    }

    @Test
    void ofRacingTakesOfOneRecordExactlyOneGetsIt() throws Exception {
        for (int round = 0; round < 10; round++) {
            String key = "once-" + round;
            store.insertRecord(RecordKind.STREAM_TOKEN, key, "{\"round\":" + round + "}", Records.NEVER);
            List<java.util.Optional<String>> taken =
                    race(8, i -> (i % 2 == 0 ? store : peer).takeRecord(RecordKind.STREAM_TOKEN, key));
            assertThat(taken).filteredOn(java.util.Optional::isPresent).hasSize(1)
                    .first().isEqualTo(java.util.Optional.of("{\"round\":" + round + "}"));
        }
        assertThat(store.records(RecordKind.STREAM_TOKEN)).isEmpty();
    }

    @Test
    void ofRacingInsertsOfOneKeyExactlyOneWins() throws Exception {
        List<Boolean> results = race(8, i -> (i % 2 == 0 ? store : peer)
                .insertRecord(RecordKind.USER, "admin", "{\"by\":" + i + "}", Records.NEVER));
        assertThat(results).filteredOn(Boolean::booleanValue).hasSize(1);
    }

    @Test
    void anExpiredRecordIsGoneForEveryReadAndGivesItsPlaceToAnInsert() {
        long now = System.currentTimeMillis();
        store.insertRecord(RecordKind.STREAM_TOKEN, "old", "{}", now - 1);
        store.insertRecord(RecordKind.STREAM_TOKEN, "soon", "{\"soon\":1}", now + 400);
        store.insertRecord(RecordKind.STREAM_TOKEN, "later", "{}", now + 60_000);

        assertThat(peer.record(RecordKind.STREAM_TOKEN, "old")).isEmpty();
        assertThat(peer.takeRecord(RecordKind.STREAM_TOKEN, "old")).isEmpty();
        assertThat(peer.record(RecordKind.STREAM_TOKEN, "soon")).contains("{\"soon\":1}");
        await().atMost(Duration.ofSeconds(5)).until(() -> peer.record(RecordKind.STREAM_TOKEN, "soon").isEmpty());
        assertThat(peer.records(RecordKind.STREAM_TOKEN)).containsOnlyKeys("later");
        assertThat(peer.insertRecord(RecordKind.STREAM_TOKEN, "soon", "{\"again\":1}", Records.NEVER)).isTrue();
        assertThat(store.takeRecord(RecordKind.STREAM_TOKEN, "soon")).contains("{\"again\":1}");
    }

    @Test
    void recordKeysAreChecked() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> store.insertRecord(RecordKind.USER, "two words", "{}", Records.NEVER));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> store.record(RecordKind.USER, ""));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> store.putRecord(RecordKind.USER, "x".repeat(201), "{}", Records.NEVER));
    }

    // --- events -----------------------------------------------------------------------------------

    @Test
    void writesOnOneNodeAreAnnouncedToSubscribersOnAnother() throws Exception {
        List<StoreEvent> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(seen::add)) {
            // Some engines need a moment to have their subscription in place.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                peer.putAppSettings("probe", new AppSettings(true, 0, 0));
                assertThat(seen).anyMatch(e -> e.type() == StoreEvent.Type.SETTINGS_CHANGED);
            });
            seen.clear();

            peer.create("live", new Broadcast("ev"));
            peer.update("live", "ev", b -> b);
            peer.putNode(node("node-z", "iz", 0));
            peer.heartbeat("node-z", "iz", NodeLoad.IDLE, 1);
            peer.putAppSettings("live", new AppSettings(false, 0, 0));
            peer.delete("live", "ev");

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seen).contains(
                    new StoreEvent(StoreEvent.Type.BROADCAST_CHANGED, "live", "ev", 1),
                    new StoreEvent(StoreEvent.Type.BROADCAST_CHANGED, "live", "ev", 2),
                    new StoreEvent(StoreEvent.Type.NODE_HEARTBEAT, null, "node-z", 1),
                    new StoreEvent(StoreEvent.Type.SETTINGS_CHANGED, "live", null, 1),
                    new StoreEvent(StoreEvent.Type.BROADCAST_DELETED, "live", "ev", 2)));
            assertThat(seen).anyMatch(e -> e.type() == StoreEvent.Type.NODE_CHANGED && "node-z".equals(e.key()));
        }
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() throws Exception {
        List<StoreEvent> seen = new CopyOnWriteArrayList<>();
        AutoCloseable sub = store.subscribe(seen::add);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            peer.putAppSettings("probe", new AppSettings(true, 0, 0));
            assertThat(seen).isNotEmpty();
        });
        sub.close();
        int before = seen.size();
        peer.create("live", new Broadcast("after"));
        // A marker write that a still-open subscription would certainly have seen by now.
        List<StoreEvent> marker = new CopyOnWriteArrayList<>();
        try (AutoCloseable other = store.subscribe(marker::add)) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                peer.putAppSettings("probe", new AppSettings(false, 0, 0));
                assertThat(marker).isNotEmpty();
            });
        }
        assertThat(seen).hasSize(before);
    }

    @Test
    void racingSavesAndSettingsOnTwoNodesGetDistinctConsecutiveVersions() throws Exception {
        store.create("live", new Broadcast("saved"));
        List<Long> versions = race(10, i -> (i % 2 == 0 ? store : peer).save("live", new Broadcast("saved")).getVersion());
        assertThat(versions).doesNotHaveDuplicates().allMatch(v -> v >= 2 && v <= 11);
        List<Long> settingsVersions = race(10, i -> (i % 2 == 0 ? store : peer)
                .putAppSettings("live", new AppSettings(i % 2 == 0, 0, i)).version());
        assertThat(settingsVersions).doesNotHaveDuplicates().allMatch(v -> v >= 1 && v <= 10);
    }

    @Test
    void writesThatDoNotHappenAnnounceNothing() throws Exception {
        store.create("live", new Broadcast("quiet"));
        store.putNode(node("node-q", "iq", 3));
        List<StoreEvent> seen = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = store.subscribe(seen::add)) {
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                peer.putAppSettings("probe", new AppSettings(true, 0, 0));
                assertThat(seen).isNotEmpty();
            });
            seen.clear();

            assertThat(peer.create("live", new Broadcast("quiet"))).isFalse();
            assertThat(peer.compareAndSet("live", new Broadcast("quiet"), 9)).isEmpty();
            assertThat(peer.compareAndSet("live", new Broadcast("never"), 0)).as("expected version 0 never creates")
                    .isEmpty();
            assertThat(peer.deleteIfVersion("live", "quiet", 9)).isFalse();
            assertThat(peer.heartbeat("node-q", "wrong", NodeLoad.IDLE, 1)).isEmpty();
            assertThat(peer.markDead("node-q", 2)).isFalse();
            // A marker that does happen: once it is heard, nothing refused above was announced before it.
            peer.putAppSettings("marker", new AppSettings(true, 0, 0));
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.stream()
                    .anyMatch(e -> e.type() == StoreEvent.Type.SETTINGS_CHANGED && "marker".equals(e.app())));
            // (a late delivery of the readiness probe above may still arrive; it is not one of these writes)
            assertThat(seen).filteredOn(e -> !"probe".equals(e.app()))
                    .containsExactly(new StoreEvent(StoreEvent.Type.SETTINGS_CHANGED, "marker", null, 1));
            assertThat(store.get("live", "never")).isEmpty();
        }
    }

    @Test
    void pingAnswersWhileTheStoreIsThere() {
        store.ping();
        peer.ping();
    }

    // --- helpers ----------------------------------------------------------------------------------

    protected static NodeRecord node(String id, String instance, long heartbeat) {
        return new NodeRecord(id, instance, "10.0.0.1", "192.168.0.1", 1935, 5080, List.of("origin", "edge"),
                "test", heartbeat, -1, NodeLoad.IDLE, 1, 1);
    }

    /** Runs {@code n} calls at once (released together) and returns their results in index order. */
    protected static <T> List<T> race(int n, IndexedCall<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                Callable<T> task = () -> {
                    go.await();
                    return call.call(index);
                };
                futures.add(pool.submit(task));
            }
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(30, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One of several racing calls. */
    @FunctionalInterface
    protected interface IndexedCall<T> {
        T call(int index) throws Exception;
    }
}
