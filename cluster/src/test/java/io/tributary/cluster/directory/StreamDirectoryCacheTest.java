package io.tributary.cluster.directory;

import static io.tributary.cluster.directory.DirectoryNode.APP;
import static io.tributary.cluster.directory.DirectoryNode.liveOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.membership.FaultyStore;
import io.tributary.cluster.store.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The directory's cache: updates are ordered by the record's version, deletions leave tombstones, a
 * resync reads the whole store and the store's events keep it fresh in between. No claims here, so no
 * membership: the directory is fed by hand, by the store, or by the store's events.
 */
class StreamDirectoryCacheTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long START = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private FaultyStore faulty;
    private final AtomicLong wall = new AtomicLong(START);
    private ExecutorService storeExecutor;
    private StreamDirectory directory;
    private AutoCloseable subscription;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dataDir);
        faulty = new FaultyStore(store);
        storeExecutor = Executors.newSingleThreadExecutor();
        directory = new StreamDirectory(faulty, null, new TestProbe(), DirectoryNode.CHECK_TIMEOUT, app -> true,
                "node-a.example.net", storeExecutor, wall::get);
    }

    @AfterEach
    void close() throws Exception {
        if (subscription != null) {
            subscription.close();
        }
        storeExecutor.shutdownNow();
        storeExecutor.awaitTermination(2, TimeUnit.SECONDS);
        store.close();
    }

    private static DirectoryEntry live(String streamId, String node, long version) {
        return new DirectoryEntry(APP, streamId, BroadcastStatus.BROADCASTING, node, DirectoryNode.address(node),
                version, false, null, null, START, 0);
    }

    private static DirectoryEntry finished(String streamId, long version) {
        return new DirectoryEntry(APP, streamId, BroadcastStatus.FINISHED, null, null, version, false, null, null,
                START, 0);
    }

    private static DirectoryEntry tombstone(String streamId, long version) {
        return DirectoryEntry.deleted(APP, streamId, version, 0);
    }

    private void subscribe() {
        subscription = store.subscribe(directory::onStoreEvent);
    }

    /**
     * Cached, then update: what the cache holds afterwards. Versions order everything; a deletion at the
     * cached version wins over it (the record went at that version), and a tombstone is only replaced by a
     * newer version.
     */
    @ParameterizedTest(name = "cached {0} v{1}, update {2} v{3} -> taken {4}, lookup {5}")
    @CsvSource({
            "live,      2, finished,  3, true,  finished",
            "live,      3, finished,  2, false, live",
            "live,      3, finished,  3, false, live",
            "live,      3, tombstone, 3, true,  none",
            "live,      3, tombstone, 4, true,  none",
            "live,      3, tombstone, 2, false, live",
            "tombstone, 3, live,      2, false, none",
            "tombstone, 3, live,      3, false, none",
            "tombstone, 3, tombstone, 4, true,  none",
            "tombstone, 3, live,      4, true,  live",
            "none,      0, live,      1, true,  live",
            "none,      0, tombstone, 1, true,  none",
    })
    void updatesAreTakenOnlyWhenNewer(String cached, long cachedVersion, String update, long updateVersion,
                                      boolean taken, String after) {
        if (!cached.equals("none")) {
            directory.apply(entry(cached, cachedVersion));
        }

        assertThat(directory.apply(entry(update, updateVersion))).isEqualTo(taken);

        String seen = directory.lookup(APP, "cam1").map(e -> e.status() == BroadcastStatus.BROADCASTING ? "live"
                : "finished").orElse("none");
        assertThat(seen).isEqualTo(after);
    }

    private static DirectoryEntry entry(String kind, long version) {
        return switch (kind) {
            case "live" -> live("cam1", "node-b", version);
            case "finished" -> finished("cam1", version);
            case "tombstone" -> tombstone("cam1", version);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @Test
    void entriesListsKnownStreamsByPathWithoutTombstones() {
        directory.apply(live("zeta", "node-b", 1));
        directory.apply(live("alpha", "node-c", 1));
        directory.apply(finished("mid", 4));
        directory.apply(tombstone("gone", 2));

        assertThat(directory.entries()).extracting(DirectoryEntry::path)
                .containsExactly("live/alpha", "live/mid", "live/zeta");
    }

    @Test
    void aResyncPicksUpRecordsWrittenBehindItsBack() {
        store.create(APP, liveOn("cam2", "node-b", START));
        store.create(APP, new Broadcast("cam1"));
        store.create("other", liveOn("cam3", "node-c", START));
        assertThat(directory.entries()).isEmpty();

        directory.resync();

        assertThat(directory.entries()).extracting(e -> e.path() + " " + e.originNode() + " v" + e.version())
                .containsExactly("live/cam1 null v1", "live/cam2 node-b v1", "other/cam3 node-c v1");
    }

    @Test
    void aResyncMarksRecordsTheStoreNoLongerHasDeletedAndKeepsTheTombstone() {
        store.create(APP, liveOn("cam1", "node-b", START));
        directory.resync();
        store.delete(APP, "cam1"); // nobody told this node

        directory.resync();

        assertThat(directory.lookup(APP, "cam1")).isEmpty();
        assertThat(directory.apply(live("cam1", "node-b", 1))).as("a late notification of the deleted version")
                .isFalse();
        assertThat(directory.lookup(APP, "cam1")).isEmpty();
    }

    @Test
    void aResyncKeepsANewerVersionANotificationBroughtBeforeTheStoreCaughtUp() {
        store.create(APP, liveOn("cam1", "node-b", START));
        directory.apply(finished("cam1", 5));

        directory.resync();

        assertThat(directory.lookup(APP, "cam1")).get().extracting(DirectoryEntry::version).isEqualTo(5L);
    }

    @Test
    void tombstonesAreForgottenAMinuteLaterSoTheStreamCanStartOver() {
        directory.apply(tombstone("cam1", 3));
        wall.addAndGet(61_000);

        directory.resync();
        boolean taken = directory.apply(live("cam1", "node-b", 1));

        assertThat(taken).isTrue();
        assertThat(directory.lookup(APP, "cam1")).isPresent();
    }

    @Test
    void aNotificationThatArrivesWhileAResyncReadsTheStoreIsNotLost() {
        // node-b claims cam1 just after this node's resync read the store, and tells this node at once.
        DirectoryEntry notified = live("cam1", "node-b", 1);
        faulty.afterAll(() -> directory.apply(notified));

        directory.resync();

        assertThat(directory.lookup(APP, "cam1")).as("the directory entry of live/cam1, published on node-b")
                .contains(notified);
    }

    @Test
    void storeEventsBringOtherNodesChangesIntoTheCache() {
        subscribe();

        store.create(APP, liveOn("cam1", "node-b", START));
        await().atMost(WAIT).until(() -> directory.lookup(APP, "cam1").isPresent());
        assertThat(directory.lookup(APP, "cam1").orElseThrow().originNode()).isEqualTo("node-b");

        store.update(APP, "cam1", b -> {
            b.setStatus(BroadcastStatus.FINISHED);
            b.setOriginNode(null);
            return b;
        });
        await().atMost(WAIT).until(() -> directory.lookup(APP, "cam1").orElseThrow().version() == 2);
        assertThat(directory.lookup(APP, "cam1").orElseThrow().live()).isFalse();

        store.delete(APP, "cam1");
        await().atMost(WAIT).until(() -> directory.lookup(APP, "cam1").isEmpty());
    }

    @Test
    void storeEventsOlderThanTheCacheAreNotFetched() {
        store.create(APP, liveOn("cam1", "node-b", START));
        directory.apply(finished("cam1", 7));
        subscribe();

        store.update(APP, "cam1", b -> b); // version 2: older than what the cache has

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() ->
                directory.lookup(APP, "cam1").orElseThrow().version() == 7);
    }

    @Test
    void aStreamNobodyCreatedThatIsPublishedAgainOnAnotherNodeIsSeenAgain() {
        subscribe();
        Broadcast zombi = liveOn("cam1", "node-b", START);
        zombi.setZombi(true);
        store.create(APP, zombi);
        await().atMost(WAIT).until(() -> directory.lookup(APP, "cam1").isPresent());
        store.deleteIfVersion(APP, "cam1", 1); // node-b's publisher stopped: the zombi record goes
        await().atMost(WAIT).until(() -> directory.lookup(APP, "cam1").isEmpty());

        zombi.setDate(START + 1_000); // the encoder comes back to node-b: a new record, created later
        store.create(APP, zombi);

        await("live/cam1 is in this node's directory again").atMost(Duration.ofSeconds(2))
                .until(() -> directory.lookup(APP, "cam1").isPresent());
    }
}
