package io.tributary.cluster.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedStoreTest {

    @TempDir
    Path dataDir;

    EmbeddedStore store;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dataDir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    static Broadcast broadcast(String streamId, String name, long date, BroadcastStatus status) {
        Broadcast b = new Broadcast(streamId);
        b.setName(name);
        b.setDate(date);
        b.setStatus(status);
        return b;
    }

    static List<String> ids(List<Broadcast> broadcasts) {
        return broadcasts.stream().map(Broadcast::getStreamId).collect(Collectors.toList());
    }

    @Test
    void createdRecordCanBeReadBackAtVersionOne() {
        assertThat(store.create("live", broadcast("stream1", "Show", 1000, BroadcastStatus.CREATED))).isTrue();

        Broadcast read = store.get("live", "stream1").orElseThrow();
        assertThat(read.getName()).isEqualTo("Show");
        assertThat(read.getDate()).isEqualTo(1000);
        assertThat(read.getVersion()).isEqualTo(1);
        assertThat(store.get("live", "other")).isEmpty();
        assertThat(store.get("vod", "stream1")).isEmpty();
    }

    @Test
    void createRefusesAnExistingIdAndChangesNothing() {
        store.create("live", broadcast("stream1", "First", 1, BroadcastStatus.CREATED));

        assertThat(store.create("live", broadcast("stream1", "Second", 2, BroadcastStatus.FINISHED))).isFalse();

        assertThat(store.get("live", "stream1").orElseThrow().getName()).isEqualTo("First");
        assertThat(store.create("other", broadcast("stream1", "Other app", 3, BroadcastStatus.CREATED))).isTrue();
    }

    @Test
    void saveInsertsThenReplacesIncrementingTheVersion() {
        Broadcast mine = broadcast("stream1", "First", 1, BroadcastStatus.CREATED);

        Broadcast first = store.save("live", mine);
        mine.setName("Second");
        Broadcast second = store.save("live", mine);

        assertThat(first.getVersion()).isEqualTo(1);
        assertThat(second.getVersion()).isEqualTo(2);
        assertThat(second.getName()).isEqualTo("Second");
        assertThat(mine.getVersion()).as("the caller's object is not the saved copy").isZero();
        assertThat(store.get("live", "stream1").orElseThrow().getVersion()).isEqualTo(2);
    }

    @Test
    void saveCountsVersionsFromTheStoredRecordNotTheCallersCopy() {
        store.create("live", broadcast("stream1", "A", 1, BroadcastStatus.CREATED));
        Broadcast stale = broadcast("stream1", "B", 1, BroadcastStatus.CREATED);
        stale.setVersion(40);

        assertThat(store.save("live", stale).getVersion()).isEqualTo(2);
    }

    @Test
    void updateAppliesTheChangeAndIncrementsTheVersion() {
        store.create("live", broadcast("stream1", "Show", 1, BroadcastStatus.CREATED));

        Broadcast updated = store.update("live", "stream1", b -> {
            b.setStatus(BroadcastStatus.BROADCASTING);
            b.setPublishType("RTMP");
            return b;
        }).orElseThrow();

        assertThat(updated.getStatus()).isEqualTo(BroadcastStatus.BROADCASTING);
        assertThat(updated.getVersion()).isEqualTo(2);
        Broadcast read = store.get("live", "stream1").orElseThrow();
        assertThat(read).usingRecursiveComparison().isEqualTo(updated);
    }

    @Test
    void updateOfAnAbsentRecordIsEmptyAndCreatesNothing() {
        assertThat(store.update("live", "nobody", b -> {
            throw new AssertionError("must not be called");
        })).isEmpty();
        assertThat(store.count("live")).isZero();
    }

    @Test
    void updateMayNotRenameTheRecord() {
        store.create("live", broadcast("stream1", "Show", 1, BroadcastStatus.CREATED));

        assertThatThrownBy(() -> store.update("live", "stream1", b -> new Broadcast("stream2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not change the stream id");
        assertThat(store.get("live", "stream2")).isEmpty();
        assertThat(store.get("live", "stream1").orElseThrow().getVersion()).isEqualTo(1);
    }

    @Test
    void deleteRemovesOnlyThatRecord() {
        store.create("live", broadcast("a", null, 1, BroadcastStatus.CREATED));
        store.create("live", broadcast("b", null, 1, BroadcastStatus.CREATED));

        assertThat(store.delete("live", "a")).isTrue();
        assertThat(store.delete("live", "a")).isFalse();

        assertThat(store.get("live", "a")).isEmpty();
        assertThat(store.get("live", "b")).isPresent();
    }

    @Test
    void returnedRecordsAreCopies() {
        store.create("live", broadcast("stream1", "Show", 1, BroadcastStatus.CREATED));

        store.get("live", "stream1").orElseThrow().setName("changed but not saved");
        store.list("live", 0, 10, BroadcastQuery.DEFAULT).get(0).setName("changed but not saved");

        assertThat(store.get("live", "stream1").orElseThrow().getName()).isEqualTo("Show");
    }

    @Test
    void listPagesOldestFirstByDefault() {
        for (int i = 0; i < 7; i++) {
            store.create("live", broadcast("s" + (7 - i), "n", 1000 + i, BroadcastStatus.CREATED));
        }

        assertThat(ids(store.list("live", 0, 3, BroadcastQuery.DEFAULT))).containsExactly("s7", "s6", "s5");
        assertThat(ids(store.list("live", 3, 3, BroadcastQuery.DEFAULT))).containsExactly("s4", "s3", "s2");
        assertThat(ids(store.list("live", 6, 3, BroadcastQuery.DEFAULT))).containsExactly("s1");
        assertThat(store.list("live", 7, 3, BroadcastQuery.DEFAULT)).isEmpty();
        assertThat(store.list("live", 0, 0, BroadcastQuery.DEFAULT)).isEmpty();
    }

    @Test
    void listCapsPagesAtFifty() {
        IntStream.range(0, 60).forEach(i -> store.create("live", broadcast("s" + i, null, i, BroadcastStatus.CREATED)));

        assertThat(store.list("live", 0, 1000, BroadcastQuery.DEFAULT)).hasSize(50);
        assertThat(store.list("live", 50, 1000, BroadcastQuery.DEFAULT)).hasSize(10);
    }

    @Test
    void listRefusesNegativeOffsetOrSize() {
        assertThatThrownBy(() -> store.list("live", -1, 10, BroadcastQuery.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("offset must not be negative: -1");
        assertThatThrownBy(() -> store.list("live", 0, -5, BroadcastQuery.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("size must not be negative: -5");
    }

    @Test
    void listSortsByEachKeyBothWays() {
        store.create("live", broadcast("b", "apple", 3, BroadcastStatus.FINISHED));
        store.create("live", broadcast("a", "Cherry", 1, BroadcastStatus.BROADCASTING));
        store.create("live", broadcast("c", "banana", 2, BroadcastStatus.CREATED));
        store.create("live", broadcast("d", null, 2, BroadcastStatus.CREATED));

        assertThat(ids(store.list("live", 0, 10, new BroadcastQuery("date", true, null)))).containsExactly("b", "d", "c", "a");
        assertThat(ids(store.list("live", 0, 10, new BroadcastQuery("name", false, null)))).containsExactly("d", "b", "c", "a");
        assertThat(ids(store.list("live", 0, 10, new BroadcastQuery("NAME", true, null)))).containsExactly("a", "c", "b", "d");
        assertThat(ids(store.list("live", 0, 10, new BroadcastQuery("status", false, null)))).containsExactly("a", "c", "d", "b");
        assertThat(ids(store.list("live", 0, 10, new BroadcastQuery("streamId", true, null)))).containsExactly("d", "c", "b", "a");
    }

    @Test
    void listRefusesAnUnknownSortKey() {
        assertThatThrownBy(() -> new BroadcastQuery("viewers", false, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot sort broadcasts by 'viewers' (use one of [date, name, status, streamId])");
        assertThat(new BroadcastQuery(null, false, " ")).isEqualTo(BroadcastQuery.DEFAULT);
    }

    @Test
    void listSearchesIdAndNameIgnoringCase() {
        store.create("live", broadcast("camera-1", "Front door", 1, BroadcastStatus.CREATED));
        store.create("live", broadcast("camera-2", "Back yard", 2, BroadcastStatus.CREATED));
        store.create("live", broadcast("studio", "Main CAMERA", 3, BroadcastStatus.CREATED));

        assertThat(ids(store.list("live", 0, 10, new BroadcastQuery("date", false, "Camera")))).containsExactly("camera-1", "camera-2", "studio");
        assertThat(ids(store.list("live", 0, 10, new BroadcastQuery("date", false, "DOOR")))).containsExactly("camera-1");
        assertThat(store.list("live", 0, 10, new BroadcastQuery("date", false, "nothing"))).isEmpty();
    }

    @Test
    void appsDoNotSeeEachOthersRecordsEvenWithSimilarNames() {
        for (String app : List.of("liv", "live", "live-x", "live.2", "live2", "lives")) {
            store.create(app, broadcast("in-" + app, null, 1, BroadcastStatus.CREATED));
        }

        assertThat(ids(store.list("live", 0, 50, BroadcastQuery.DEFAULT))).containsExactly("in-live");
        assertThat(store.count("live")).isEqualTo(1);
        assertThat(store.count("nothing")).isZero();
    }

    @Test
    void countsAllAndByStatus() {
        store.create("live", broadcast("a", null, 1, BroadcastStatus.BROADCASTING));
        store.create("live", broadcast("b", null, 1, BroadcastStatus.BROADCASTING));
        store.create("live", broadcast("c", null, 1, BroadcastStatus.FINISHED));
        store.create("other", broadcast("d", null, 1, BroadcastStatus.BROADCASTING));

        assertThat(store.count("live")).isEqualTo(3);
        assertThat(store.countByStatus("live", BroadcastStatus.BROADCASTING)).isEqualTo(2);
        assertThat(store.countByStatus("live", BroadcastStatus.FINISHED)).isEqualTo(1);
        assertThat(store.countByStatus("live", BroadcastStatus.CREATED)).isZero();
    }

    @Test
    void allGroupsEveryRecordByApp() {
        store.create("live", broadcast("b", null, 1, BroadcastStatus.CREATED));
        store.create("live", broadcast("a", null, 1, BroadcastStatus.CREATED));
        store.create("vod", broadcast("c", null, 1, BroadcastStatus.CREATED));

        Map<String, List<Broadcast>> all = store.all();

        assertThat(all).containsOnlyKeys("live", "vod");
        assertThat(ids(all.get("live"))).containsExactly("a", "b");
        assertThat(ids(all.get("vod"))).containsExactly("c");
    }

    @Test
    void refusesInvalidAppsAndStreamIds() {
        assertThatThrownBy(() -> store.create("live", new Broadcast("a/b")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid stream id 'a/b'");
        assertThatThrownBy(() -> store.save("live", new Broadcast(null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid stream id 'null'");
        assertThatThrownBy(() -> store.get("li/ve", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid app name 'li/ve'");
        assertThatThrownBy(() -> store.count(".."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("invalid app name '..'");
    }
}
