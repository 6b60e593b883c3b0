package io.tributary.cluster.store.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** The rule every peers-mode node applies to two copies of one record: the same winner everywhere. */
class ReplicaOrderTest {

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("a higher generation wins, even against an earlier claim",
                        live("node-2", 500, 3, 4), live("node-1", 100, 9, 3)),
                Arguments.of("of claims made at once, the earlier one wins",
                        live("node-2", 100, 1, 1), live("node-1", 101, 1, 1)),
                Arguments.of("of claims made in the same millisecond, the lower node id wins",
                        live("node-1", 100, 1, 1), live("node-2", 100, 1, 1)),
                Arguments.of("the earlier claim wins whatever versions its rival's owner wrote since",
                        live("node-3", 100, 1, 2), live("node-1", 150, 7, 2)),
                Arguments.of("a live claim wins over a release of the same generation",
                        live("node-2", 300, 4, 5), finished(4, 5, 200)),
                Arguments.of("a live claim wins over a deletion of the same generation",
                        live("node-2", 300, 1, 5), Replica.tombstone("live", "cam", 5, 1000)),
                Arguments.of("a deletion wins over a record that is not live",
                        Replica.tombstone("live", "cam", 5, 1000), finished(9, 5, 900)),
                Arguments.of("one owner's later write wins (its version)",
                        live("node-1", 100, 6, 2), live("node-1", 100, 5, 2)),
                Arguments.of("of two releases, the higher version wins",
                        finished(5, 3, 100), finished(4, 3, 900)),
                Arguments.of("of two equal releases, the later update wins",
                        finished(5, 3, 901), finished(5, 3, 900)),
                Arguments.of("of two deletions, the later one wins",
                        Replica.tombstone("live", "cam", 3, 2000), Replica.tombstone("live", "cam", 3, 1000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theWinnerIsTheSameWhicheverArrivesFirst(String rule, Replica winner, Replica loser) {
        assertThat(ReplicaOrder.compare(winner, loser)).as(rule).isPositive();
        assertThat(ReplicaOrder.compare(loser, winner)).as(rule).isNegative();
        assertThat(ReplicaOrder.supersedes(winner, loser)).isTrue();
        assertThat(ReplicaOrder.supersedes(loser, winner)).isFalse();
        assertThat(ReplicaOrder.supersedes(loser, null)).as("anything beats nothing").isTrue();
    }

    @Test
    void twoCopiesThatDifferInAnyFieldNeverTie() {
        Replica a = finished(5, 3, 900);
        Replica b = finished(5, 3, 900);
        b.broadcast().setName("renamed");

        assertThat(ReplicaOrder.compare(a, b)).isNotZero().isEqualTo(-ReplicaOrder.compare(b, a));
        assertThat(ReplicaOrder.compare(a, finished(5, 3, 900))).isZero();
    }

    @Test
    void everyArrivalOrderEndsWithTheSameRecord() {
        List<Replica> copies = new ArrayList<>(List.of(live("node-2", 100, 1, 1), live("node-1", 100, 1, 1),
                live("node-3", 99, 2, 1), finished(3, 1, 50), live("node-1", 120, 4, 2), finished(5, 2, 130),
                Replica.tombstone("live", "cam", 2, 140), live("node-2", 101, 1, 2)));
        Replica expected = copies.stream().reduce((x, y) -> ReplicaOrder.compare(x, y) >= 0 ? x : y).orElseThrow();
        Random random = new Random(8);
        for (int i = 0; i < 200; i++) {
            Collections.shuffle(copies, random);
            Replica kept = null;
            for (Replica r : copies) {
                if (ReplicaOrder.supersedes(r, kept)) {
                    kept = r;
                }
            }
            assertThat(kept).isSameAs(expected);
        }
        assertThat(expected.liveOwner()).as("the earliest of the claims of generation 2").isEqualTo("node-2");
    }

    static Replica live(String node, long startTime, long version, long generation) {
        Broadcast b = PeersStoreReplicationTest.claim(node, startTime);
        b.setVersion(version);
        return Replica.of("live", b, generation);
    }

    static Replica finished(long version, long generation, long updateTime) {
        Broadcast b = new Broadcast("cam");
        b.setStatus(BroadcastStatus.FINISHED);
        b.setUpdateTime(updateTime);
        b.setVersion(version);
        return Replica.of("live", b, generation);
    }
}
