package io.tributary.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The judge on its own: time is a number the test moves. Period 1 s, suspect after 2, dead after 4. */
class LivenessTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final Liveness liveness = new Liveness(new MembershipSettings(Duration.ofSeconds(1), 2, 4), "self");

    private static NodeRecord node(String id, long heartbeat) {
        return node(id, heartbeat, -1);
    }

    private static NodeRecord node(String id, long heartbeat, long deadAt) {
        return new NodeRecord(id, id + "-instance", "10.0.0.1", "10.0.0.1", 1935, 5080, List.of("origin"), "test",
                heartbeat, deadAt, null, 0, 0);
    }

    private static List<String> transitions(List<Liveness.Transition> ts) {
        return ts.stream().map(t -> t.node().id() + " " + t.from() + "->" + t.to()).toList();
    }

    @Test
    void aNodeWhoseCounterStaysStillIsSuspectAfterTwoPeriodsAndDeadAfterFour() {
        liveness.observe(node("b", 5), 0);

        assertThat(liveness.judge(0)).isEmpty();
        assertThat(liveness.state("b")).isEqualTo(NodeState.ALIVE);
        assertThat(liveness.judge(2 * SECOND - MS)).isEmpty();
        assertThat(transitions(liveness.judge(2 * SECOND))).containsExactly("b ALIVE->SUSPECT");
        assertThat(liveness.state("b")).isEqualTo(NodeState.SUSPECT);
        // Seeing the same counter again is no sign of life.
        liveness.observe(node("b", 5), 3 * SECOND);
        assertThat(liveness.judge(4 * SECOND - MS)).isEmpty();
        List<Liveness.Transition> dead = liveness.judge(4 * SECOND);
        assertThat(transitions(dead)).containsExactly("b SUSPECT->DEAD");
        assertThat(dead.get(0).counter()).isEqualTo(5);
        assertThat(liveness.state("b")).isEqualTo(NodeState.DEAD);
        assertThat(liveness.judge(100 * SECOND)).as("a dead node is reported dead once").isEmpty();
    }

    @ParameterizedTest(name = "counter 5 -> {0}")
    @ValueSource(longs = {6, 42, 0})
    void anyChangeOfTheCounterHigherOrLowerBringsADeadNodeBack(long next) {
        liveness.observe(node("b", 5), 0);
        liveness.judge(4 * SECOND);
        assertThat(liveness.state("b")).isEqualTo(NodeState.DEAD);

        // 0: the node registered again after the store lost its data, and counts from 0 again.
        liveness.observe(node("b", next), 5 * SECOND);

        assertThat(transitions(liveness.judge(5 * SECOND))).containsExactly("b DEAD->ALIVE");
        assertThat(liveness.state("b")).isEqualTo(NodeState.ALIVE);
        assertThat(liveness.judge(7 * SECOND - MS)).as("its age counts from the change").isEmpty();
    }

    @Test
    void aHeartbeatFromTheEventFeedCountsLikeAPolledRecord() {
        liveness.observe(node("b", 5), 0);
        liveness.judge(2 * SECOND);

        assertThat(liveness.observeHeartbeat("b", 6, 3 * SECOND)).isTrue();
        assertThat(transitions(liveness.judge(3 * SECOND))).containsExactly("b SUSPECT->ALIVE");
        assertThat(liveness.observeHeartbeat("never-seen", 1, 3 * SECOND))
                .as("an unknown node must be read from the store first").isFalse();
        assertThat(liveness.state("never-seen")).isNull();
    }

    @Test
    void aRecordMarkedDeadAtItsCurrentCounterIsDeadAtOnce() {
        liveness.observe(node("b", 7, 7), 0);

        assertThat(transitions(liveness.judge(0))).containsExactly("b ALIVE->DEAD");
        assertThat(liveness.state("b")).isEqualTo(NodeState.DEAD);
    }

    @Test
    void aRecordMarkedDeadAtAnOlderCounterIsAlive() {
        liveness.observe(node("b", 8, 7), 0);

        assertThat(liveness.judge(0)).isEmpty();
        assertThat(liveness.state("b")).isEqualTo(NodeState.ALIVE);
    }

    @Test
    void aRecordMarkedDeadWhileWatchedIsDeadAtOnceAndComesBackWithItsNextHeartbeat() {
        liveness.observe(node("b", 7), 0);
        liveness.observe(node("b", 7, 7), SECOND);
        assertThat(transitions(liveness.judge(SECOND))).containsExactly("b ALIVE->DEAD");

        liveness.observe(node("b", 8, 7), 2 * SECOND);
        assertThat(transitions(liveness.judge(2 * SECOND))).containsExactly("b DEAD->ALIVE");
    }

    @Test
    void deadToReportNamesEachDeadNodeOncePerCounter() {
        liveness.observe(node("b", 5), 0);
        liveness.observe(node("c", 9), 0);
        liveness.judge(4 * SECOND);

        assertThat(liveness.deadToReport()).extracting(t -> t.node().id() + "@" + t.counter())
                .containsExactlyInAnyOrder("b@5", "c@9");
        assertThat(liveness.deadToReport()).as("already reported at these counters").isEmpty();

        liveness.observe(node("b", 6), 5 * SECOND);
        liveness.judge(5 * SECOND);
        assertThat(liveness.deadToReport()).as("b is alive again").isEmpty();
        liveness.judge(9 * SECOND);
        assertThat(liveness.deadToReport()).extracting(t -> t.node().id() + "@" + t.counter())
                .containsExactly("b@6");
    }

    @Test
    void restartingTheClocksAfterAnOutageDeclaresNobodyDead() {
        liveness.observe(node("b", 5), 0);
        liveness.observe(node("c", 9), 0);
        liveness.judge(SECOND);

        // Nothing could be read for a minute: the store was down, the nodes were not.
        liveness.restartClocks(60 * SECOND);

        assertThat(liveness.judge(60 * SECOND)).isEmpty();
        assertThat(liveness.judge(62 * SECOND - MS)).isEmpty();
        assertThat(liveness.deadToReport()).isEmpty();
        assertThat(liveness.state("b")).isEqualTo(NodeState.ALIVE);
        assertThat(liveness.state("c")).isEqualTo(NodeState.ALIVE);
        // ...but a node that stays silent after the outage is judged as usual.
        assertThat(transitions(liveness.judge(64 * SECOND))).containsExactlyInAnyOrder("b ALIVE->DEAD",
                "c ALIVE->DEAD");
    }

    @Test
    void restartingTheClocksBringsASuspectNodeBackToAlive() {
        liveness.observe(node("b", 5), 0);
        liveness.judge(3 * SECOND);
        assertThat(liveness.state("b")).isEqualTo(NodeState.SUSPECT);

        liveness.restartClocks(10 * SECOND);

        assertThat(transitions(liveness.judge(10 * SECOND))).containsExactly("b SUSPECT->ALIVE");
    }

    @Test
    void thisNodeIsAlwaysAliveToItself() {
        liveness.observe(node("self", 1), 0);

        assertThat(liveness.judge(1000 * SECOND)).isEmpty();
        assertThat(liveness.deadToReport()).isEmpty();
        assertThat(liveness.state("self")).isEqualTo(NodeState.ALIVE);
        assertThat(liveness.view(1000 * SECOND)).singleElement()
                .satisfies(v -> {
                    assertThat(v.self()).isTrue();
                    assertThat(v.state()).isEqualTo(NodeState.ALIVE);
                });
    }

    @Test
    void thisNodeIsAliveEvenBeforeItsOwnRecordIsRead() {
        assertThat(liveness.state("self")).isEqualTo(NodeState.ALIVE);
    }

    @Test
    void retainForgetsNodesTheStoreNoLongerHas() {
        liveness.observe(node("self", 1), 0);
        liveness.observe(node("b", 5), 0);
        liveness.observe(node("c", 9), 0);

        liveness.retain(Set.of("self", "c"));

        assertThat(liveness.state("b")).isNull();
        assertThat(liveness.record("b")).isNull();
        assertThat(liveness.view(0)).extracting(v -> v.record().id()).containsExactly("c", "self");
        assertThat(liveness.judge(10 * SECOND)).extracting(t -> t.node().id()).containsExactly("c");
    }

    @Test
    void theViewIsSortedByIdAndTellsHowLongAgoEachCounterMoved() {
        liveness.observe(node("self", 1), 0);
        liveness.observe(node("c", 9), 0);
        liveness.observe(node("b", 5), 0);
        liveness.observe(node("b", 6), 1500 * MS);
        liveness.judge(2500 * MS);

        assertThat(liveness.view(2500 * MS))
                .extracting(v -> v.record().id() + " " + v.state() + " " + v.heartbeatAgeMillis())
                .containsExactly("b ALIVE 1000", "c SUSPECT 2500", "self ALIVE 2500");
    }
}
