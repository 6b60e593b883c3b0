package io.tributary.cluster.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.membership.MembershipSettings;
import io.tributary.cluster.membership.TestMember;
import io.tributary.cluster.node.NodeState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Membership in peers mode: the scenarios of {@code MembershipTest} (nodes see each other, a silent node is
 * suspect then dead, a returning node is alive, a clean stop leaves at once) with no store, each node judging
 * the others by the heartbeats it exchanges with them (100 ms periods: suspect after 200 ms, dead after 400).
 */
class PeersMembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final MembershipSettings SETTINGS = TestMember.fast();

    @TempDir
    Path dir;

    private final InMemoryPeers network = new InMemoryPeers();
    private final List<PeerNode> nodes = new ArrayList<>();

    @AfterEach
    void close() {
        nodes.forEach(PeerNode::close);
        network.close();
    }

    private PeerNode start(String id, String... seeds) {
        PeerNode n = PeerNode.start(network, dir.resolve(id), id, seeds);
        nodes.add(n);
        return n;
    }

    private static List<String> seen(PeerNode n) {
        return n.member.membership().nodes().stream().map(v -> v.record().id() + " " + v.state().jsonValue())
                .toList();
    }

    @Test
    void nodesGivenOneSeedFindEachOther() {
        PeerNode a = start("node-a");
        PeerNode b = start("node-b", "node-a");
        PeerNode c = start("node-c", "node-a");

        for (PeerNode n : List.of(a, b, c)) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(seen(n))
                    .containsExactly("node-a alive", "node-b alive", "node-c alive"));
        }
        assertThat(c.member.membership().record("node-b").orElseThrow().internal())
                .as("learned from node-a's answer, then met directly").isEqualTo("node-b");
    }

    @Test
    void aSilentNodeIsSuspectThenDeadOnEverySurvivorAndAliveWhenItAnswersAgain() {
        PeerNode a = start("node-a");
        PeerNode b = start("node-b", "node-a");
        PeerNode c = start("node-c", "node-a");
        await().atMost(WAIT).until(() -> seen(a).size() == 3 && seen(b).size() == 3
                && seen(a).stream().allMatch(s -> s.endsWith("alive")) && seen(b).stream().allMatch(s -> s.endsWith("alive")));

        long cutAt = System.nanoTime();
        network.cut("node-c");
        for (PeerNode survivor : List.of(a, b)) {
            await().atMost(WAIT).until(() -> survivor.member.events().firstTimeTo("node-c", NodeState.DEAD) > 0);
            long suspect = survivor.member.events().firstTimeTo("node-c", NodeState.SUSPECT) - cutAt;
            long dead = survivor.member.events().firstTimeTo("node-c", NodeState.DEAD) - cutAt;
            assertThat(suspect).as("suspect after about 2 missed heartbeats")
                    .isBetween(SETTINGS.heartbeatPeriod().toNanos(), Duration.ofMillis(2000).toNanos());
            assertThat(dead).as("dead after about 4").isGreaterThan(suspect)
                    .isBetween(3 * SETTINGS.heartbeatPeriod().toNanos(), Duration.ofMillis(3000).toNanos());
            assertThat(survivor.member.events().declaredDead()).as("every survivor cleans up after it: no store "
                    + "picks one").containsExactly("node-c");
        }

        network.heal("node-c");
        for (PeerNode n : List.of(a, b)) {
            await().atMost(WAIT).until(() -> n.member.membership().state("node-c").orElseThrow() == NodeState.ALIVE);
        }
        await().atMost(WAIT).until(() -> seen(c).stream().allMatch(s -> s.endsWith("alive")));
    }

    @Test
    void aNodeThatStopsCleanlyIsForgottenAtOnce() {
        PeerNode a = start("node-a");
        PeerNode b = start("node-b", "node-a");
        await().atMost(WAIT).until(() -> seen(a).equals(List.of("node-a alive", "node-b alive")));

        b.close();
        nodes.remove(b);

        await().atMost(WAIT).until(() -> seen(a).equals(List.of("node-a alive")));
        assertThat(a.member.events().everWent(NodeState.SUSPECT)).as("it said goodbye").isFalse();
    }

    @Test
    void aNodeSeedingItselfIgnoresItsOwnAddress() {
        PeerNode a = start("node-a", "node-a");
        PeerNode b = start("node-b", "node-a", "node-b");

        await().atMost(WAIT).until(() -> seen(a).equals(List.of("node-a alive", "node-b alive"))
                && seen(b).equals(List.of("node-a alive", "node-b alive")));
    }
}
