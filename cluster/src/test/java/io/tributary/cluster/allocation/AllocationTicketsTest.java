package io.tributary.cluster.allocation;

import static io.tributary.cluster.allocation.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.media.StreamPath;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tickets: allocations made before the nodes' next heartbeat spread over equal nodes, and stop counting
 * once their TTL has passed on the (test's) clock.
 */
class AllocationTicketsTest {
    private static final StreamPath PATH = StreamPath.parse("live/test");

    private final TestNodes nodes = new TestNodes().add(node("a"), node("b"), node("c"));
    private final AllocationManager manager = nodes.manager();
    private final ExecutorService callers = Executors.newFixedThreadPool(5);

    @AfterEach
    void stop() throws InterruptedException {
        callers.shutdownNow();
        assertThat(callers.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private Map<String, Long> fiveAtOnce(AllocationKind kind) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Allocation>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            calls.add(callers.submit(() -> {
                go.await();
                return manager.allocate(kind, PATH, "rtmp");
            }));
        }
        go.countDown();
        List<String> first = new ArrayList<>();
        for (Future<Allocation> f : calls) {
            first.add(f.get(5, TimeUnit.SECONDS).ticket().serverId());
        }
        return first.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    }

    @Test
    void fiveSimultaneousPublishAllocationsSpreadOverThreeEqualNodes() throws Exception {
        assertThat(fiveAtOnce(AllocationKind.PUBLISH)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "b", 2L,
                "c", 1L));
    }

    @Test
    void fiveSimultaneousPlayAllocationsSpreadOverThreeEqualNodes() throws Exception {
        assertThat(fiveAtOnce(AllocationKind.PLAY)).containsExactlyInAnyOrderEntriesOf(Map.of("a", 2L, "b", 2L,
                "c", 1L));
    }

    @Test
    void aTicketCountsAsOneMoreClientInTheScore() {
        manager.allocate(AllocationKind.PLAY, PATH, "flv");

        List<Candidate> next = manager.allocate(AllocationKind.PLAY, PATH, "flv").candidates();

        assertThat(next).extracting(Candidate::serverId).containsExactly("b", "c", "a");
        assertThat(next.get(2).tickets()).isEqualTo(1);
        assertThat(next.get(2).score()).isEqualTo(1.0 / 2000);
    }

    @Test
    void ticketsExpireAfterTheirTtl() {
        Allocation first = manager.allocate(AllocationKind.PUBLISH, PATH, "rtmp");
        assertThat(first.ticket().expiresAt()).isEqualTo(TestNodes.START + 30_000);
        assertThat(first.ticket().id()).isNotBlank();
        manager.allocate(AllocationKind.PUBLISH, PATH, "rtmp");

        nodes.clock.addAndGet(29_999);
        assertThat(manager.allocate(AllocationKind.PUBLISH, PATH, "rtmp").ticket().serverId())
                .as("a and b still hold a ticket").isEqualTo("c");

        nodes.clock.addAndGet(1);
        Allocation after = manager.allocate(AllocationKind.PUBLISH, PATH, "rtmp");
        assertThat(after.ticket().serverId()).as("a's and b's tickets have expired, c's has not").isEqualTo("a");
        assertThat(after.candidates()).extracting(Candidate::tickets).containsExactly(0, 0, 1);
    }

    @Test
    void ticketsCountTowardsTheSubscriberThresholdSoABurstCannotOverfillANode() {
        TestNodes one = new TestNodes().add(node("edge").players(1));
        AllocationManager small = one.manager(new AllocationSettings(new RoutingThresholds(85, 8000, 2), 3,
                Duration.ofSeconds(30)));

        assertThat(small.allocate(AllocationKind.PLAY, PATH, "flv").granted()).isTrue();
        assertThat(small.allocate(AllocationKind.PLAY, PATH, "flv").granted()).isTrue();
        Allocation third = small.allocate(AllocationKind.PLAY, PATH, "flv");
        assertThat(third.granted()).isFalse();
        assertThat(third.excluded())
                .containsExactly("edge is above the subscriber threshold (1 players + 2 tickets > 2)");

        one.clock.addAndGet(30_000);
        assertThat(small.allocate(AllocationKind.PLAY, PATH, "flv").granted()).isTrue();
    }
}
