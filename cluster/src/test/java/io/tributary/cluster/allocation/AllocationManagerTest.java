package io.tributary.cluster.allocation;

import static io.tributary.cluster.allocation.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.node.NodeState;
import io.tributary.media.StreamPath;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which nodes an allocation offers, in which order, from loads the test sets by hand. */
class AllocationManagerTest {
    private static final StreamPath PATH = StreamPath.parse("live/test");

    private final TestNodes nodes = new TestNodes();

    private static List<String> ids(Allocation a) {
        return a.candidates().stream().map(Candidate::serverId).toList();
    }

    @Test
    void candidatesComeLeastLoadedFirst() {
        nodes.add(node("busy").players(1500),
                node("hot").cpu(0.6),
                node("idle"),
                node("streaming").egressMbit(2000));

        Allocation a = nodes.manager().allocate(AllocationKind.PLAY, PATH, "flv", 4);

        // players 1500/2000 = 0.75, cpu 60/85 = 0.71, egress 2000/8000 = 0.25, idle 0.
        assertThat(ids(a)).containsExactly("idle", "streaming", "hot", "busy");
        assertThat(a.candidates().get(0).score()).isZero();
        assertThat(a.candidates().get(1).score()).isEqualTo(0.25);
    }

    @Test
    void equalNodesAreOrderedByIdSoTheAnswerIsStable() {
        nodes.add(node("c"), node("a"), node("b"));

        assertThat(ids(nodes.manager().allocate(AllocationKind.PUBLISH, PATH, "rtmp", 3)))
                .containsExactly("a", "b", "c");
    }

    @Test
    void publishersGoToOriginsAndPlayersToEdges() {
        nodes.add(node("origin-1").roles("origin"), node("edge-1").roles("edge"), node("both").roles("origin", "edge"));
        AllocationManager manager = nodes.manager();

        Allocation publish = manager.allocate(AllocationKind.PUBLISH, PATH, "rtmp", 3);
        Allocation play = manager.allocate(AllocationKind.PLAY, PATH, "flv", 3);

        assertThat(ids(publish)).containsExactlyInAnyOrder("origin-1", "both");
        assertThat(publish.excluded()).containsExactly("edge-1 is not an origin");
        assertThat(ids(play)).containsExactlyInAnyOrder("edge-1", "both");
        assertThat(play.excluded()).containsExactly("origin-1 is not an edge");
    }

    static Stream<Arguments> overloaded() {
        return Stream.of(
                Arguments.of(node("over").cpu(0.86), "above the cpu threshold (86.0% > 85%)"),
                Arguments.of(node("over").egressMbit(8001), "above the bandwidth threshold (8001.0 > 8000 Mbit/s)"),
                Arguments.of(node("over").players(2001), "above the subscriber threshold (2001 players > 2000)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("overloaded")
    void aNodeAboveAnyThresholdTakesNoPlayersButStillTakesPublishers(TestNodes.Node over, String reason) {
        nodes.add(over, node("fine").players(1999).cpu(0.85).egressMbit(8000));
        AllocationManager manager = nodes.manager();

        Allocation play = manager.allocate(AllocationKind.PLAY, PATH, "flv", 3);

        assertThat(ids(play)).as("at a threshold is not above it").containsExactly("fine");
        assertThat(play.excluded()).containsExactly("over is " + reason);
        assertThat(ids(manager.allocate(AllocationKind.PUBLISH, PATH, "rtmp", 3))).contains("over");
    }

    @Test
    void drainingSuspectAndDeadNodesAreNeverCandidates() {
        nodes.add(node("draining").draining(), node("suspect").state(NodeState.SUSPECT),
                node("dead").state(NodeState.DEAD), node("alive").players(1900));
        AllocationManager manager = nodes.manager();

        for (AllocationKind kind : AllocationKind.values()) {
            Allocation a = manager.allocate(kind, PATH, "rtmp", 3);
            assertThat(ids(a)).as(kind.name()).containsExactly("alive");
            assertThat(a.excluded()).containsExactly("draining is draining", "suspect is suspect", "dead is dead");
        }
    }

    @Test
    void thisNodesDrainSwitchCountsBeforeItsNextHeartbeatSaysSo() {
        nodes.add(node("self").self(), node("other"));
        AllocationManager manager = new AllocationManager(nodes, () -> true, AllocationSettings.defaults(),
                nodes.clock::get);

        assertThat(ids(manager.allocate(AllocationKind.PUBLISH, PATH, "rtmp", 3))).containsExactly("other");
    }

    @Test
    void theAnswerListsAtMostTheLimitAndTheConfiguredNumberByDefault() {
        nodes.add(node("a"), node("b"), node("c"), node("d"), node("e"));
        AllocationManager manager = nodes.manager(new AllocationSettings(RoutingThresholds.DEFAULTS, 2,
                Duration.ofSeconds(30)));

        assertThat(manager.allocate(AllocationKind.PLAY, PATH, "flv").candidates()).hasSize(2);
        assertThat(manager.allocate(AllocationKind.PLAY, PATH, "flv", 4).candidates()).hasSize(4);
        assertThat(manager.allocate(AllocationKind.PLAY, PATH, "flv", 10).candidates()).hasSize(5);
        assertThatThrownBy(() -> manager.allocate(AllocationKind.PLAY, PATH, "flv", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withNoCandidateTheAllocationSaysWhyEveryNodeWasLeftOut() {
        nodes.add(node("origin-only").roles("origin"), node("gone").state(NodeState.DEAD));

        Allocation a = nodes.manager().allocate(AllocationKind.PLAY, PATH, "flv", 3);

        assertThat(a.granted()).isFalse();
        assertThat(a.ticket()).isNull();
        assertThat(a.refusal()).isEqualTo(
                "no node can take a player for live/test: origin-only is not an edge; gone is dead");
    }

    @Test
    void playersOfAStreamPreferAnEdgeThatAlreadyHasItsViewersWhileItIsBelowTheThresholds() {
        nodes.add(node("idle"), node("relaying").players(600).viewers("live/test", 400),
                node("other-stream").players(10).viewers("live/other", 10));

        Allocation a = nodes.manager().allocate(AllocationKind.PLAY, PATH, "flv", 3);

        assertThat(ids(a)).containsExactly("relaying", "idle", "other-stream");
        assertThat(a.candidates().get(0).hasStream()).isTrue();
        // Publishers and other streams are ranked by load alone.
        assertThat(ids(nodes.manager().allocate(AllocationKind.PUBLISH, PATH, "rtmp", 1))).containsExactly("idle");
        assertThat(ids(nodes.manager().allocate(AllocationKind.PLAY, StreamPath.parse("live/new"), "flv", 1)))
                .containsExactly("idle");
    }

    @Test
    void aFullEdgeLosesItsPreferenceForItsStream() {
        nodes.add(node("idle"), node("relaying").players(2001).viewers("live/test", 2001));

        assertThat(ids(nodes.manager().allocate(AllocationKind.PLAY, PATH, "flv", 3))).containsExactly("idle");
    }
}
