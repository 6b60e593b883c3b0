package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.node.NodeState;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The load history behind the dashboard's charts: aligned samples, gaps for dead or unknown nodes, a window. */
class LoadHistoryTest {
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final LoadHistory history = new LoadHistory(Duration.ofSeconds(15), Duration.ofSeconds(5), clock::get);

    @Test
    void eachSampleHoldsEveryNodesLatestLoadInPercentAndBitsPerSecond() {
        history.record(List.of(view("a", NodeState.ALIVE, 0.25, 4_000_000, 12)));
        clock.addAndGet(5000);
        history.record(List.of(view("a", NodeState.ALIVE, 0.5, 8_000_000, 20)));

        LoadHistory.Snapshot s = history.snapshot();

        assertThat(s.periodMillis()).isEqualTo(5000);
        assertThat(s.time()).containsExactly(1_000_000L, 1_005_000L);
        assertThat(s.nodes()).singleElement().satisfies(a -> {
            assertThat(a.id()).isEqualTo("a");
            assertThat(a.cpu()).containsExactly(25.0, 50.0);
            assertThat(a.memory()).containsExactly(50.0, 50.0);
            assertThat(a.egressBitsPerSecond()).containsExactly(4_000_000L, 8_000_000L);
            assertThat(a.players()).containsExactly(12, 20);
        });
    }

    @Test
    void aNodeThatJoinsLaterOrDiesHasGapsWhereItHadNoLoad() {
        history.record(List.of(view("a", NodeState.ALIVE, 0.1, 0, 1)));
        history.record(List.of(view("a", NodeState.ALIVE, 0.1, 0, 1), view("b", NodeState.ALIVE, 0.2, 0, 2)));
        history.record(List.of(view("a", NodeState.ALIVE, 0.1, 0, 1), view("b", NodeState.DEAD, 0.2, 0, 2)));

        List<LoadHistory.Series> nodes = history.snapshot().nodes();

        assertThat(nodes).extracting(LoadHistory.Series::id).containsExactly("a", "b");
        assertThat(nodes.get(1).players()).containsExactlyElementsOf(Arrays.asList(null, 2, null));
    }

    @Test
    void samplesOlderThanTheWindowAreDropped() {
        for (int i = 0; i < 5; i++) {
            history.record(List.of(view("a", NodeState.ALIVE, 0, 0, i)));
            clock.addAndGet(5000);
        }

        LoadHistory.Snapshot s = history.snapshot();

        assertThat(s.time()).hasSize(3);
        assertThat(s.nodes().get(0).players()).containsExactly(2, 3, 4);
    }

    @Test
    void theSamplePeriodMustBePositive() {
        assertThatThrownBy(() -> new LoadHistory(Duration.ofMinutes(1), Duration.ZERO, clock::get))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static NodeView view(String id, NodeState state, double cpu, long egress, int players) {
        NodeLoad load = new NodeLoad(cpu, 512, 1024, egress, 0, 1, players);
        return new NodeView(new NodeRecord(id, "i-" + id, "127.0.0.1", "127.0.0.1", 1935, 5080, List.of("origin"),
                "test", 1, -1, load, 0, 0), state, 0, false);
    }
}
