package io.tributary.cluster.membership;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.peers.PeersStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers mode's liveness rule, with time a number the test moves: the observer counts its contacts with a
 * peer in its peers store, and the one judge (Liveness) turns missed heartbeats into states. With the seed's
 * settings (5 s heartbeats, suspect_threshold 2, offline_threshold 3), a peer that answers no heartbeat for
 * two periods in a row is suspect, for three dead ("offline"), and one answer brings it back.
 */
class PeersLivenessTest {
    private static final long PERIOD = Duration.ofSeconds(5).toNanos();

    @TempDir
    Path dir;

    private PeersStore store;
    private final Liveness liveness = new Liveness(new MembershipSettings(Duration.ofSeconds(5), 2, 3), "node-1");
    private final NodeRecord peer = new NodeRecord("node-2", "peer", "10.0.0.2", "10.0.0.2", 1935, 5080,
            List.of("origin", "edge"), "test", 0, -1, null, 0, 0);

    @BeforeEach
    void open() {
        store = PeersStore.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** One heartbeat period on the observer: the peer answered it or not, then membership looks. */
    private NodeState period(int n, boolean answered) {
        if (answered) {
            store.contact(peer);
        }
        long now = n * PERIOD;
        store.nodes().forEach(r -> liveness.observe(r, now));
        liveness.judge(now);
        return liveness.state("node-2");
    }

    @Test
    void missedHeartbeatsMakeAPeerSuspectThenDeadAndOneAnswerBringsItBack() {
        assertThat(period(0, true)).isEqualTo(NodeState.ALIVE);
        assertThat(period(1, true)).isEqualTo(NodeState.ALIVE);
        assertThat(period(2, false)).as("one missed").isEqualTo(NodeState.ALIVE);
        assertThat(period(3, false)).as("two missed in a row").isEqualTo(NodeState.SUSPECT);
        assertThat(period(4, false)).as("three missed: the seed's offline").isEqualTo(NodeState.DEAD);
        assertThat(liveness.deadToReport()).extracting(t -> t.node().id()).containsExactly("node-2");
        assertThat(period(5, false)).isEqualTo(NodeState.DEAD);
        assertThat(period(6, true)).as("it answers again").isEqualTo(NodeState.ALIVE);
    }

    @Test
    void aMissedHeartbeatBetweenAnswersDoesNotMakeAPeerSuspect() {
        for (int n = 0; n < 20; n++) {
            assertThat(period(n, n % 2 == 0)).as("period " + n).isEqualTo(NodeState.ALIVE);
        }
    }

    @Test
    void aPeerOnlyHeardOfIsJudgedFromWhenThisNodeFirstSawIt() {
        store.learn(peer);
        store.nodes().forEach(r -> liveness.observe(r, 0));

        assertThat(liveness.judge(2 * PERIOD - 1)).isEmpty();
        assertThat(liveness.judge(2 * PERIOD)).extracting(t -> t.to()).containsExactly(NodeState.SUSPECT);
        assertThat(period(3, false)).isEqualTo(NodeState.DEAD);
    }
}
