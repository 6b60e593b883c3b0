package io.tributary.cluster.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cluster.broadcast.Broadcast;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreConcurrencyTest {

    @TempDir
    Path dataDir;

    EmbeddedStore store;
    ExecutorService threads;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dataDir);
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        store.close();
    }

    /** Runs {@code tasks} copies of {@code task} released at once, and returns their results. */
    <T> List<T> race(int tasks, Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            futures.add(threads.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get(30, TimeUnit.SECONDS));
        }
        return results;
    }

    @Test
    void exactlyOneOfEightRacingCreatesWins() throws Exception {
        for (int round = 0; round < 20; round++) {
            String id = "stream" + round;

            List<Boolean> results = race(8, () -> store.create("live", new Broadcast(id)));

            assertThat(results).as("round " + round).containsOnlyOnce(true);
        }
    }

    @Test
    void concurrentUpdatesAllLand() throws Exception {
        store.create("live", new Broadcast("stream1"));

        race(100, () -> store.update("live", "stream1", b -> {
            b.setRtmpViewerCount(b.getRtmpViewerCount() + 1);
            return b;
        }));

        Broadcast result = store.get("live", "stream1").orElseThrow();
        assertThat(result.getRtmpViewerCount()).isEqualTo(100);
        assertThat(result.getVersion()).isEqualTo(101);
    }

    @Test
    void concurrentSavesEachGetTheirOwnVersion() throws Exception {
        List<Long> versions = race(50, () -> store.save("live", new Broadcast("stream1")).getVersion());

        assertThat(versions).doesNotHaveDuplicates().hasSize(50);
        assertThat(store.get("live", "stream1").orElseThrow().getVersion()).isEqualTo(50);
    }
}
