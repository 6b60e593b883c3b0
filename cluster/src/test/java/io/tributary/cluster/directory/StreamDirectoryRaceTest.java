package io.tributary.cluster.directory;

import static io.tributary.cluster.directory.DirectoryNode.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.store.EmbeddedStore;
import io.tributary.media.stream.StreamException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two encoders publish the same stream to two nodes at the same moment: exactly one node becomes its origin. */
class StreamDirectoryRaceTest {
    private static final int STREAMS = 40;

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private DirectoryNode a;
    private DirectoryNode b;

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dataDir);
        AtomicLong wall = new AtomicLong(1_700_000_000_000L);
        a = DirectoryNode.start(store, "node-a", () -> 0L, wall);
        b = DirectoryNode.start(store, "node-b", () -> 0L, wall);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.member.membership().nodes().size() == 2
                && b.member.membership().nodes().size() == 2);
    }

    @AfterEach
    void stop() {
        a.close();
        b.close();
        store.close();
    }

    /** "won" or the reason of the refusal. */
    private static CompletableFuture<String> claimAtTheBarrier(DirectoryNode node, String streamId,
                                                               CyclicBarrier barrier) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                barrier.await(5, TimeUnit.SECONDS);
                node.claim(streamId);
                return "won";
            } catch (StreamException e) {
                return e.reason().name();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, node.storeExecutor);
    }

    @Test
    void exactlyOneOfTwoNodesClaimingTheSameStreamAtOnceWins() throws Exception {
        for (int i = 0; i < STREAMS; i++) {
            String id = "cam" + i;
            if (i % 2 == 0) {
                store.create(APP, new Broadcast(id)); // half were created through the API, half were not
            }
            CyclicBarrier barrier = new CyclicBarrier(2);
            CompletableFuture<String> onA = claimAtTheBarrier(a, id, barrier);
            CompletableFuture<String> onB = claimAtTheBarrier(b, id, barrier);

            List<String> outcomes = new ArrayList<>(List.of(onA.get(10, TimeUnit.SECONDS), onB.get(10, TimeUnit.SECONDS)));

            assertThat(outcomes).as(id).containsExactlyInAnyOrder("won", "BUSY");
            String winner = onA.get().equals("won") ? "node-a" : "node-b";
            assertThat(store.get(APP, id).orElseThrow().getOriginNode()).as(id).isEqualTo(winner);
            DirectoryNode won = winner.equals("node-a") ? a : b;
            assertThat(won.directory.lookup(APP, id).orElseThrow().originNode()).isEqualTo(winner);
        }
        long announced = a.announcer.announced().size() + b.announcer.announced().size();
        assertThat(announced).as("one published announcement per stream").isEqualTo(STREAMS);
    }
}
