package io.tributary.cluster.store.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.StoreEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' peers stores, linked the way peer sync links them (each node's local writes merged into the
 * other's copy), with the link cut where a test needs writes to cross in flight.
 */
class PeersStoreReplicationTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private final AtomicLong wall = new AtomicLong(System.currentTimeMillis());
    private PeersStore a;
    private PeersStore b;
    private final List<Replica> fromA = new CopyOnWriteArrayList<>();
    private final List<Replica> fromB = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() {
        a = PeersStore.open(dirA, wall::get);
        b = PeersStore.open(dirB, wall::get);
        a.onLocalWrite(fromA::add);
        b.onLocalWrite(fromB::add);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    /** Delivers what each node wrote so far to the other. */
    private void sync() {
        List<Replica> toB = new ArrayList<>(fromA);
        List<Replica> toA = new ArrayList<>(fromB);
        fromA.clear();
        fromB.clear();
        toB.forEach(b::merge);
        toA.forEach(a::merge);
    }

    @Test
    void aRecordWrittenOnOneNodeIsReadOnTheOther() {
        Broadcast cam = new Broadcast("cam");
        cam.setName("Camera");
        a.create("live", cam);
        a.update("live", "cam", r -> {
            r.setDescription("lobby");
            return r;
        });
        sync();

        Broadcast seen = b.get("live", "cam").orElseThrow();
        assertThat(seen.getName()).isEqualTo("Camera");
        assertThat(seen.getDescription()).isEqualTo("lobby");
        assertThat(seen.getVersion()).isEqualTo(2);
        assertThat(b.count("live")).isEqualTo(1);
    }

    @Test
    void twoNodesClaimingOneStreamAtOnceAgreeOnTheEarlierClaim() {
        a.create("live", claim("node-a", 2_000));
        b.create("live", claim("node-b", 1_000));

        sync();

        assertThat(a.get("live", "cam").orElseThrow().getOriginNode()).isEqualTo("node-b");
        assertThat(b.get("live", "cam").orElseThrow().getOriginNode()).isEqualTo("node-b");
        assertThat(a.broadcastingOn("node-a")).isEmpty();
    }

    @Test
    void claimsInTheSameMillisecondGoToTheLowerNodeId() {
        b.create("live", claim("node-b", 1_000));
        a.create("live", claim("node-a", 1_000));
        sync();
        // the loser's owner goes on writing live figures, which must not win the record back
        b.update("live", "cam", r -> {
            r.setRtmpViewerCount(3);
            return r;
        });
        sync();

        assertThat(a.get("live", "cam").orElseThrow().getOriginNode()).isEqualTo("node-a");
        assertThat(b.get("live", "cam").orElseThrow().getOriginNode()).isEqualTo("node-a");
    }

    @Test
    void aTakeoverMadeKnowingTheEarlierClaimWinsAndAReleaseFollows() {
        a.create("live", claim("node-a", 1_000));
        sync();
        Broadcast seen = b.get("live", "cam").orElseThrow();
        Broadcast takeover = claim("node-b", 5_000);
        b.compareAndSet("live", takeover, seen.getVersion()).orElseThrow();
        sync();
        assertThat(a.get("live", "cam").orElseThrow().getOriginNode()).isEqualTo("node-b");

        Broadcast live = b.get("live", "cam").orElseThrow();
        live.setStatus(BroadcastStatus.FINISHED);
        live.setOriginNode(null);
        b.compareAndSet("live", live, live.getVersion()).orElseThrow();
        sync();
        assertThat(a.get("live", "cam").orElseThrow().getStatus()).isEqualTo(BroadcastStatus.FINISHED);
    }

    @Test
    void aDeletionReachesTheOtherNodeAndAnOlderCopyDoesNotBringTheRecordBack() {
        a.create("live", new Broadcast("cam"));
        sync();
        List<Replica> stale = b.replicas();
        a.delete("live", "cam");
        sync();
        assertThat(b.get("live", "cam")).isEmpty();

        stale.forEach(b::merge);
        assertThat(b.get("live", "cam")).as("the tombstone outranks the copy it deleted").isEmpty();

        wall.addAndGet(PeersStore.TOMBSTONE_TTL.toMillis() + 1);
        assertThat(b.replicas()).as("a deletion is forgotten after a while").isEmpty();
        assertThat(b.create("live", new Broadcast("cam"))).isTrue();
    }

    @Test
    void aMergedRecordIsAnnouncedAsReplacedAndALocalWriteIsAnnouncedAndSent() throws Exception {
        List<StoreEvent> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable sub = b.subscribe(heard::add)) {
            a.create("live", claim("node-a", 1_000));
            sync();
            b.update("live", "cam", r -> r);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heard).containsExactly(
                    new StoreEvent(StoreEvent.Type.BROADCAST_REPLACED, "live", "cam", 1),
                    new StoreEvent(StoreEvent.Type.BROADCAST_CHANGED, "live", "cam", 2)));
            assertThat(fromB).extracting(Replica::version).containsExactly(2L);
        }
    }

    @Test
    void recordsAndDeletionsOutliveARestart() {
        a.create("live", claim("node-a", 1_000));
        a.create("live", new Broadcast("gone"));
        a.delete("live", "gone");
        a.close();

        a = PeersStore.open(dirA, wall::get);
        assertThat(a.get("live", "cam").orElseThrow().getOriginNode()).isEqualTo("node-a");
        assertThat(a.replicas()).extracting(Replica::path, Replica::deleted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("live/cam", false),
                        org.assertj.core.groups.Tuple.tuple("live/gone", true));
    }

    @Test
    void contactsCountOnTheObserverAndANodeNamedByAnotherIsAddedOnce() {
        NodeRecord peer = new NodeRecord("node-b", "remote", "10.0.0.2", "10.0.0.2", 1935, 5080,
                List.of("origin", "edge"), "test", 77, -1, new NodeLoad(0.5, 1, 2, 3, 4, 5, 6), 1, 2);

        assertThat(a.learn(peer)).isTrue();
        assertThat(a.node("node-b").orElseThrow().heartbeat()).as("no contact yet").isZero();
        assertThat(a.learn(peer)).isFalse();
        assertThat(a.contact(peer).heartbeat()).isEqualTo(1);
        assertThat(a.contact(peer).heartbeat()).as("the observer's count, not the peer's own").isEqualTo(2);
        assertThat(a.node("node-b").orElseThrow().load().players()).isEqualTo(6);
        assertThat(a.markDead("node-b", 2)).isTrue();
        assertThat(a.contact(peer).deadAtHeartbeat()).isEqualTo(2);
        assertThat(a.node("node-b").orElseThrow().markedDead()).as("heard from since").isFalse();
    }

    /** {@code live/cam} as a node that accepted its publisher at {@code at} writes it. */
    static Broadcast claim(String node, long at) {
        Broadcast b = new Broadcast("cam");
        b.setStatus(BroadcastStatus.BROADCASTING);
        b.setOriginNode(node);
        b.setStartTime(at);
        b.setUpdateTime(at);
        b.setDate(at);
        b.setZombi(true);
        return b;
    }
}
