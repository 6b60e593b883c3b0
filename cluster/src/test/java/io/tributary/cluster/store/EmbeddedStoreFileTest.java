package io.tributary.cluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store as a file on disk: persistence, locking, crashes, corruption and closing. */
class EmbeddedStoreFileTest {

    @TempDir
    Path tmp;

    @Test
    void createsTheDataDirAndItsFile() {
        Path dataDir = tmp.resolve("a/b/data");

        try (EmbeddedStore store = EmbeddedStore.open(dataDir)) {
            assertThat(store.file()).isEqualTo(dataDir.toAbsolutePath().resolve("tributary.mv.db"));
        }

        assertThat(dataDir.resolve("tributary.mv.db")).isRegularFile();
    }

    @Test
    void recordsWrittenJustBeforeCloseSurviveReopening() {
        try (EmbeddedStore store = EmbeddedStore.open(tmp)) {
            store.create("live", new Broadcast("first"));
            store.update("live", "first", b -> {
                b.setStatus(BroadcastStatus.FINISHED);
                return b;
            });
            store.save("vod", new Broadcast("last"));
            store.putAppSettings("live", new io.tributary.cluster.settings.AppSettings(false, 0, 1));
        }

        try (EmbeddedStore store = EmbeddedStore.open(tmp)) {
            Broadcast first = store.get("live", "first").orElseThrow();
            assertThat(first.getStatus()).isEqualTo(BroadcastStatus.FINISHED);
            assertThat(first.getVersion()).isEqualTo(2);
            assertThat(store.get("vod", "last")).isPresent();
            assertThat(store.appSettings("live").acceptUndefinedStreams()).isFalse();
            assertThat(store.save("live", first).getVersion()).as("versions continue after a restart").isEqualTo(3);
        }
    }

    @Test
    void aSecondOpenInThisProcessIsRefused() {
        try (EmbeddedStore store = EmbeddedStore.open(tmp)) {
            assertThatThrownBy(() -> EmbeddedStore.open(tmp))
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("data dir " + tmp.toAbsolutePath() + " is in use by another Tributary node");
            assertThat(store.count("live")).as("the first store still works").isZero();
        }
    }

    @Test
    void anotherProcessHoldingTheDataDirIsRefusedUntilItStops() throws Exception {
        Process other = StoreProcess.start("hold", tmp.resolve("data"), tmp.resolve("other.log"));
        try {
            awaitReady(other);

            assertThatThrownBy(() -> EmbeddedStore.open(tmp.resolve("data")))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("is in use by another Tributary node");

            other.getOutputStream().close();
            assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).as(log(tmp.resolve("other.log"))).isZero();
            EmbeddedStore.open(tmp.resolve("data")).close();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void flushedRecordsSurviveAProcessThatDiesWithoutClosing() throws Exception {
        Process crashing = StoreProcess.start("crash", tmp.resolve("data"), tmp.resolve("crash.log"));
        try {
            awaitReady(crashing);
            assertThat(crashing.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(crashing.exitValue()).as(log(tmp.resolve("crash.log"))).isEqualTo(3);
        } finally {
            crashing.destroyForcibly();
        }

        try (EmbeddedStore store = EmbeddedStore.open(tmp.resolve("data"))) {
            assertThat(store.get("live", "flushed")).isPresent();
        }
    }

    @Test
    void aCorruptFileIsRefusedNamingIt() throws IOException {
        Path file = tmp.resolve("tributary.mv.db");
        Files.writeString(file, "this is not an MVStore file\n".repeat(400));

        assertThatThrownBy(() -> EmbeddedStore.open(tmp))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("cannot read store file " + file.toAbsolutePath());
    }

    @Test
    void aTruncatedFileIsRefusedNamingIt() throws IOException {
        EmbeddedStore.open(tmp).close();
        Path file = tmp.resolve("tributary.mv.db");
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, 100));

        assertThatThrownBy(() -> EmbeddedStore.open(tmp))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toAbsolutePath().toString());
    }

    @Test
    void aClosedStoreRefusesEveryCallAndClosesTwiceQuietly() {
        EmbeddedStore store = EmbeddedStore.open(tmp);
        store.create("live", new Broadcast("a"));
        store.close();
        store.close();

        List<ThrowingCallable> calls = List.of(
                () -> store.get("live", "a"),
                () -> store.create("live", new Broadcast("b")),
                () -> store.save("live", new Broadcast("b")),
                () -> store.update("live", "a", b -> b),
                () -> store.delete("live", "a"),
                () -> store.list("live", 0, 10, BroadcastQuery.DEFAULT),
                () -> store.count("live"),
                () -> store.countByStatus("live", BroadcastStatus.CREATED),
                store::all,
                store::flush,
                store::nodes,
                () -> store.appSettings("live"));
        for (ThrowingCallable call : calls) {
            assertThatThrownBy(call).isInstanceOf(IllegalStateException.class).hasMessage("store is closed");
        }
    }

    private static void awaitReady(Process process) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(30, TimeUnit.SECONDS);
        assertThat(line).isEqualTo(StoreProcess.READY);
    }

    private static String log(Path file) {
        try {
            return "other process stderr: " + Files.readString(file);
        } catch (IOException e) {
            return "no log: " + e;
        }
    }
}
