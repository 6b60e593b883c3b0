package io.tributary.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several nodes' memberships sharing one embedded store, on the real monotonic clock, with a heartbeat
 * period of 100 ms: suspect after 200 ms of silence, dead after 400 ms.
 */
class MembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MS = 1_000_000L;

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private final List<TestMember> members = new ArrayList<>();

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dataDir);
    }

    @AfterEach
    void close() {
        members.forEach(TestMember::close);
        store.close();
    }

    private TestMember start(String nodeId) {
        return keep(TestMember.start(store, nodeId, TestMember.fast()));
    }

    private TestMember keep(TestMember m) {
        members.add(m);
        return m;
    }

    private static List<String> seen(TestMember m) {
        return m.membership().nodes().stream().map(v -> v.record().id() + " " + v.state().jsonValue()).toList();
    }

    @Test
    void threeNodesSeeEachOtherAlive() {
        TestMember a = start("node-a");
        TestMember b = start("node-b");
        TestMember c = start("node-c");

        for (TestMember m : List.of(a, b, c)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(seen(m))
                    .containsExactly("node-a alive", "node-b alive", "node-c alive"));
            assertThat(m.membership().peers()).extracting(NodeRecord::id)
                    .containsExactlyInAnyOrderElementsOf(Stream.of("node-a", "node-b", "node-c")
                            .filter(id -> !id.equals(m.id())).toList());
            assertThat(m.membership().nodes()).filteredOn(NodeView::self).extracting(v -> v.record().id())
                    .containsExactly(m.id());
            assertThat(m.membership().storeAvailable()).isTrue();
        }
    }

    @Test
    void heartbeatsAdvanceTheCounterInTheStore() {
        TestMember a = start("node-a");
        long first = store.node("node-a").orElseThrow().heartbeat();

        await().atMost(WAIT).until(() -> store.node("node-a").orElseThrow().heartbeat() >= first + 3);
        assertThat(a.membership().record("node-a")).isPresent();
    }

    @Test
    void aCleanShutdownRemovesTheRecordAndTheOthersDropIt() {
        TestMember a = start("node-a");
        TestMember b = start("node-b");
        TestMember c = start("node-c");
        await().atMost(WAIT).until(() -> seen(a).size() == 3 && seen(b).size() == 3);

        c.close();

        assertThat(store.node("node-c")).isEmpty();
        for (TestMember m : List.of(a, b)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(seen(m)).containsExactly("node-a alive", "node-b alive"));
            assertThat(m.membership().state("node-c")).isEmpty();
        }
        // Leaving is not dying: nobody judged it, nobody cleans up after it.
        await().during(Duration.ofMillis(600)).atMost(WAIT).until(() ->
                !a.events().everWent(NodeState.DEAD) && !b.events().everWent(NodeState.DEAD));
        assertThat(a.events().declaredDead()).isEmpty();
        assertThat(b.events().declaredDead()).isEmpty();
    }

    @Test
    void aNodeThatStopsHeartbeatingIsSuspectThenDeadWithinTheThresholdsAndOneSurvivorCleansUp() {
        TestMember a = start("node-a");
        TestMember b = start("node-b");
        FaultyStore cStore = new FaultyStore(store); // only to time c's last heartbeat
        TestMember c = keep(TestMember.start(cStore, "node-c", TestMember.fast()));
        await().atMost(WAIT).until(() -> seen(a).size() == 3 && seen(b).size() == 3);

        c.freeze();

        for (TestMember m : List.of(a, b)) {
            await().atMost(WAIT).until(() -> m.membership().state("node-c").orElseThrow() == NodeState.DEAD);
        }
        long last = cStore.lastHeartbeatNanos();
        for (TestMember m : List.of(a, b)) {
            long suspectAfter = (m.events().firstTimeTo("node-c", NodeState.SUSPECT) - last) / MS;
            long deadAfter = (m.events().firstTimeTo("node-c", NodeState.DEAD) - last) / MS;
            // 2 and 4 periods of 100 ms, judged every 10 ms; allow for event delivery and a busy machine.
            assertThat(suspectAfter).as("%s: ms from the last heartbeat to suspect", m.id()).isBetween(190L, 400L);
            assertThat(deadAfter).as("%s: ms from the last heartbeat to dead", m.id()).isBetween(390L, 600L);
        }
        await().atMost(WAIT).until(() -> a.events().declaredDead().size() + b.events().declaredDead().size() == 1);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() ->
                a.events().declaredDead().size() + b.events().declaredDead().size() == 1);
        List<String> cleaners = new ArrayList<>(a.events().declaredDead());
        cleaners.addAll(b.events().declaredDead());
        assertThat(cleaners).containsExactly("node-c");
        assertThat(store.node("node-c").orElseThrow().markedDead()).isTrue();
        assertThat(seen(a)).containsExactly("node-a alive", "node-b alive", "node-c dead");
        assertThat(a.membership().peers()).extracting(NodeRecord::id).containsExactly("node-b");
    }

    @Test
    void aNodeStartingLaterSeesANodeAlreadyDeclaredDeadAsDeadAtOnceAndDoesNotCleanUpAgain() {
        TestMember a = start("node-a");
        TestMember c = start("node-c");
        await().atMost(WAIT).until(() -> seen(a).size() == 2);
        c.freeze();
        await().atMost(WAIT).until(() -> a.events().declaredDead().contains("node-c"));

        TestMember d = start("node-d");

        await().atMost(Duration.ofMillis(150)).until(() -> d.membership().state("node-c")
                .orElse(NodeState.ALIVE) == NodeState.DEAD);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> d.events().declaredDead().isEmpty());
    }

    @Test
    void aSecondNodeWithTheSameIdIsRefusedWhileTheFirstStillHeartbeats() {
        TestMember first = start("node-a");
        TestMember observer = start("node-b");
        TestMember impostor = keep(TestMember.create(store, "node-a", "another-instance", TestMember.fast(),
                System::nanoTime));

        assertThatThrownBy(() -> impostor.membership().start())
                .isInstanceOf(NodeIdTakenException.class)
                .hasMessageContaining("node id node-a ")
                .hasMessageContaining("127.0.0.1");

        assertThat(store.node("node-a").orElseThrow().instance()).isEqualTo("node-a-1");
        await().during(Duration.ofMillis(400)).atMost(WAIT).until(() ->
                observer.membership().state("node-a").orElseThrow() == NodeState.ALIVE);
        assertThat(first.membership().storeAvailable()).isTrue();
    }

    @Test
    void aNodeRefusedItsIdLeavesTheRecordOfTheHolderAloneWhenItShutsDown() {
        start("node-a");
        TestMember impostor = keep(TestMember.create(store, "node-a", "another-instance", TestMember.fast(),
                System::nanoTime));
        assertThatThrownBy(() -> impostor.membership().start()).isInstanceOf(NodeIdTakenException.class);

        impostor.close(); // the refused node stops, as TributaryNode.start() does when starting fails

        assertThat(store.node("node-a")).as("node-a as registered by the node that holds the id").isPresent()
                .get().extracting(NodeRecord::instance).isEqualTo("node-a-1");
    }

    @Test
    void aNewInstanceTakesTheRecordOfAHolderThatStoppedHeartbeatingAfterWaiting() {
        TestMember first = start("node-a");
        first.freeze();
        long stale = store.node("node-a").orElseThrow().heartbeat();
        TestMember second = keep(TestMember.create(store, "node-a", "node-a-2", TestMember.fast(), System::nanoTime));

        long began = System.nanoTime();
        second.membership().start();
        long tookMs = (System.nanoTime() - began) / MS;

        // It watched the counter for 1.5 periods (+ 500 ms) before deciding the holder is gone.
        assertThat(tookMs).isBetween(150L, 3000L);
        NodeRecord taken = store.node("node-a").orElseThrow();
        assertThat(taken.instance()).isEqualTo("node-a-2");
        assertThat(taken.heartbeat()).isGreaterThan(stale);
        await().atMost(WAIT).until(() -> store.node("node-a").orElseThrow().heartbeat() > taken.heartbeat());
    }

    @Test
    void aNewInstanceTakesTheRecordOfAHolderDeclaredDeadAtOnce() {
        TestMember first = start("node-a");
        TestMember b = start("node-b");
        await().atMost(WAIT).until(() -> seen(b).size() == 2);
        first.freeze();
        await().atMost(WAIT).until(() -> store.node("node-a").orElseThrow().markedDead());
        TestMember second = keep(TestMember.create(store, "node-a", "node-a-2", TestMember.fast(), System::nanoTime));

        long began = System.nanoTime();
        second.membership().start();

        assertThat((System.nanoTime() - began) / MS).isLessThan(100L);
        assertThat(store.node("node-a").orElseThrow().instance()).isEqualTo("node-a-2");
        await().atMost(WAIT).until(() -> b.membership().state("node-a").orElseThrow() == NodeState.ALIVE);
    }

    @Test
    void theSameInstanceRestartingTakesItsRecordAtOnce() {
        TestMember first = start("node-a");
        TestMember b = start("node-b");
        await().atMost(WAIT).until(() -> seen(b).size() == 2);
        first.freeze(); // the process died; its record is still there and not yet judged
        long before = store.node("node-a").orElseThrow().heartbeat();
        TestMember again = keep(TestMember.create(store, "node-a", "node-a-1", TestMember.fast(), System::nanoTime));

        long began = System.nanoTime();
        again.membership().start();

        assertThat((System.nanoTime() - began) / MS).isLessThan(100L);
        NodeRecord record = store.node("node-a").orElseThrow();
        assertThat(record.instance()).isEqualTo("node-a-1");
        assertThat(record.heartbeat()).isGreaterThan(before);
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() ->
                b.membership().state("node-a").orElseThrow() == NodeState.ALIVE);
        assertThat(b.events().declaredDead()).isEmpty();
    }

    @Test
    void aNodeWhoseRecordWasRemovedBehindItsBackRegistersAgain() {
        TestMember a = start("node-a");

        store.removeNode("node-a");

        await().atMost(WAIT).until(() -> store.node("node-a").isPresent());
        assertThat(store.node("node-a").orElseThrow().instance()).isEqualTo("node-a-1");
        assertThat(a.membership().state("node-a")).contains(NodeState.ALIVE);
    }

    @Test
    void aCleanShutdownDuringAHeartbeatLeavesNoRecordBehind() throws Exception {
        FaultyStore faulty = new FaultyStore(store);
        TestMember a = keep(TestMember.start(faulty, "node-a", TestMember.fast()));
        CountDownLatch inHeartbeat = new CountDownLatch(1);
        CountDownLatch carryOn = new CountDownLatch(1);
        faulty.beforeHeartbeat(() -> {
            inHeartbeat.countDown();
            carryOn.await(5, TimeUnit.SECONDS);
        });
        assertThat(inHeartbeat.await(5, TimeUnit.SECONDS)).isTrue();

        // The node stops while a heartbeat is on its way to the store (a store call takes a few ms).
        a.membership().close();
        assertThat(store.node("node-a")).isEmpty();
        faulty.beforeHeartbeat(() -> { });
        carryOn.countDown();

        await("the record of node-a, which stopped cleanly, stays removed").during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(1)).until(() -> store.node("node-a").isEmpty());
    }

    @Test
    void aFrozenInstanceThatWakesUpDoesNotTakeBackTheIdItsSuccessorHolds() {
        FaultyStore firstStore = new FaultyStore(store); // to see what the first instance writes
        TestMember first = keep(TestMember.start(firstStore, "node-a", TestMember.fast()));
        first.freeze();
        TestMember second = keep(TestMember.create(store, "node-a", "node-a-2", TestMember.fast(), System::nanoTime));
        second.membership().start();
        assertThat(store.node("node-a").orElseThrow().instance()).isEqualTo("node-a-2");
        int putsBefore = firstStore.puts().size();

        // The old process was only paused (GC, SIGSTOP, a VM migration) and carries on.
        first.thaw();

        await("the record of node-a stays with the instance that took it over").during(Duration.ofMillis(600))
                .pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(1))
                .until(() -> store.node("node-a").orElseThrow().instance().equals("node-a-2"));
        assertThat(firstStore.puts().subList(putsBefore, firstStore.puts().size()))
                .as("records the woken instance wrote over its successor's").isEmpty();
    }

    @Test
    void aStaleInstanceStoppingCleanlyDoesNotRemoveTheRecordOfItsSuccessor() {
        TestMember first = start("node-a");
        first.freeze();
        TestMember second = keep(TestMember.create(store, "node-a", "node-a-2", TestMember.fast(), System::nanoTime));
        second.membership().start();

        first.close();

        assertThat(store.node("node-a")).as("node-a as registered by its successor").isPresent()
                .get().extracting(NodeRecord::instance).isEqualTo("node-a-2");
    }

    @Test
    void startingWithAFrozenInjectedClockDoesNotHangOnAStaleHolder() {
        TestMember first = start("node-a");
        first.freeze();
        // A test (or a simulation) that drives time itself and has not moved it yet.
        TestMember second = keep(TestMember.create(store, "node-a", "node-a-2", TestMember.fast(), () -> 0L));

        Thread starter = new Thread(() -> second.membership().start(), "frozen-clock-start");
        starter.setDaemon(true);
        starter.start();

        try {
            await("start() with a clock that does not move returns").atMost(WAIT).until(() -> !starter.isAlive());
        } finally {
            starter.interrupt();
        }
        assertThat(store.node("node-a").orElseThrow().instance()).isEqualTo("node-a-2");
    }
}
