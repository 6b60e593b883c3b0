package io.tributary.cluster.directory;

import static io.tributary.cluster.directory.DirectoryNode.APP;
import static io.tributary.cluster.directory.DirectoryNode.liveOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.membership.TestMember;
import io.tributary.cluster.store.EmbeddedStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stream's publisher stops, or its origin dies: the record is finished, or goes if nobody created it. */
class StreamDirectoryReleaseTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long START = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private final AtomicLong wall = new AtomicLong(START);
    private final List<DirectoryNode> nodes = new ArrayList<>();

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dataDir);
    }

    @AfterEach
    void close() {
        nodes.forEach(DirectoryNode::close);
        store.close();
    }

    /** A node whose membership clock stands still: every node it sees stays alive. */
    private DirectoryNode node(String nodeId) {
        DirectoryNode n = DirectoryNode.start(store, nodeId, () -> 0L, wall);
        nodes.add(n);
        return n;
    }

    private Broadcast stored(String streamId) {
        return store.get(APP, streamId).orElseThrow();
    }

    @Test
    void releasingACreatedStreamFinishesItsRecordWithItsFinalFigures() {
        DirectoryNode a = node("node-a");
        store.create(APP, new Broadcast("show"));
        a.claim("show");
        wall.set(START + 90_000);

        a.directory.release(APP, "show", b -> {
            b.setVideoCodec("h264");
            b.setBitrate(2_500_000);
            b.setRtmpViewerCount(12);
            return b;
        });

        Broadcast record = stored("show");
        assertThat(record.getStatus()).isEqualTo(BroadcastStatus.FINISHED);
        assertThat(record.getOriginNode()).isNull();
        assertThat(record.getOriginAddress()).isNull();
        assertThat(record.getStartTime()).isEqualTo(START);
        assertThat(record.getDuration()).isEqualTo(90_000);
        assertThat(record.getUpdateTime()).isEqualTo(START + 90_000);
        assertThat(record.getVideoCodec()).isEqualTo("h264");
        assertThat(record.getBitrate()).isEqualTo(2_500_000);
        assertThat(record.getRtmpViewerCount()).as("nobody watches a finished stream").isZero();
        assertThat(record.getVersion()).isEqualTo(3);
        DirectoryEntry entry = a.directory.lookup(APP, "show").orElseThrow();
        assertThat(entry.live()).isFalse();
        assertThat(entry.status()).isEqualTo(BroadcastStatus.FINISHED);
        assertThat(a.directory.claimedBySelf()).isEmpty();
        assertThat(a.announcer.announced()).extracting(RecordingAnnouncer.Announcement::what)
                .containsExactly("published", "unpublished");
        assertThat(a.announcer.announced().get(1).entry()).isEqualTo(DirectoryEntry.of(APP, record));
    }

    @Test
    void releasingAStreamNobodyCreatedDeletesItsRecord() {
        DirectoryNode a = node("node-a");
        Broadcast claimed = a.claim("cam1");

        a.release("cam1");

        assertThat(store.get(APP, "cam1")).isEmpty();
        assertThat(a.directory.lookup(APP, "cam1")).isEmpty();
        assertThat(a.directory.entries()).isEmpty();
        assertThat(a.announcer.announced()).extracting(RecordingAnnouncer.Announcement::what)
                .containsExactly("published", "unpublished");
        DirectoryEntry tombstone = a.announcer.announced().get(1).entry();
        assertThat(tombstone.deleted()).isTrue();
        assertThat(tombstone.path()).isEqualTo("live/cam1");
        assertThat(tombstone.version()).isGreaterThan(claimed.getVersion());
    }

    @Test
    void releasingAStreamAnotherNodeTookOverChangesNothing() {
        DirectoryNode a = node("node-a");
        DirectoryNode b = node("node-b");
        await().atMost(WAIT).until(() -> b.member.membership().state("node-a").isPresent());
        a.claim("cam1");
        b.probe.answers(false); // node-a looks hung to node-b: its encoder went there and took the stream
        b.claim("cam1");
        Broadcast taken = stored("cam1");

        a.release("cam1"); // node-a's stale publisher finally goes

        assertThat(stored("cam1").getOriginNode()).isEqualTo("node-b");
        assertThat(stored("cam1").getStatus()).isEqualTo(BroadcastStatus.BROADCASTING);
        assertThat(stored("cam1").getVersion()).isEqualTo(taken.getVersion());
        assertThat(a.announcer.announced()).extracting(RecordingAnnouncer.Announcement::what)
                .containsExactly("published");
    }

    @Test
    void releasingAStreamThatWasNeverClaimedChangesNothing() {
        DirectoryNode a = node("node-a");
        store.create(APP, new Broadcast("show"));

        a.release("show");
        a.release("nothing");

        assertThat(stored("show").getVersion()).isEqualTo(1);
        assertThat(store.get(APP, "nothing")).isEmpty();
        assertThat(a.announcer.announced()).isEmpty();
    }

    @Test
    void aNodeDeclaredDeadHasExactlyItsLiveStreamsReleased() {
        DirectoryNode a = node("node-a");
        Broadcast created = liveOn("created-on-b", "node-b", START);
        created.setUpdateTime(START + 30_000); // its live figures were last written 30 s in
        store.create(APP, created);
        Broadcast zombi = liveOn("zombi-on-b", "node-b", START);
        zombi.setZombi(true);
        store.create(APP, zombi);
        store.create(APP, liveOn("on-c", "node-c", START));
        Broadcast finished = new Broadcast("finished-on-b");
        finished.setStatus(BroadcastStatus.FINISHED);
        store.create(APP, finished);
        store.create("other", liveOn("other-app-on-b", "node-b", START));
        wall.set(START + 600_000);

        a.directory.nodeDeclaredDead(TestMember.template("node-b", "node-b-1"));

        await().atMost(WAIT).until(() -> stored("created-on-b").getStatus() == BroadcastStatus.FINISHED
                && store.get(APP, "zombi-on-b").isEmpty()
                && store.get("other", "other-app-on-b").orElseThrow().getStatus() == BroadcastStatus.FINISHED);
        Broadcast released = stored("created-on-b");
        assertThat(released.getOriginNode()).isNull();
        assertThat(released.getDuration()).as("it ran until its last known update").isEqualTo(30_000);
        assertThat(stored("on-c").getVersion()).isEqualTo(1);
        assertThat(stored("on-c").getOriginNode()).isEqualTo("node-c");
        assertThat(stored("finished-on-b").getVersion()).isEqualTo(1);
        assertThat(store.broadcastingOn("node-b")).isEmpty();
    }

    @Test
    void whenMembershipDeclaresAnOriginDeadTheSurvivorReleasesItsStreams() {
        DirectoryNode a = DirectoryNode.start(store, "node-a", System::nanoTime, wall);
        nodes.add(a);
        DirectoryNode b = DirectoryNode.start(store, "node-b", System::nanoTime, wall);
        nodes.add(b);
        a.member.membership().addListener(a.directory);
        b.member.membership().addListener(b.directory);
        await().atMost(WAIT).until(() -> a.member.membership().nodes().size() == 2);
        store.create(APP, new Broadcast("show"));
        b.claim("show");
        b.claim("cam1");

        b.member.freeze(); // node-b hangs

        await().atMost(WAIT).until(() -> store.get(APP, "cam1").isEmpty()
                && stored("show").getStatus() == BroadcastStatus.FINISHED);
        assertThat(a.member.events().declaredDead()).containsExactly("node-b");
        // The encoder reconnects to node-a and goes on at once.
        a.claim("show");
        assertThat(stored("show").getOriginNode()).isEqualTo("node-a");
    }
}
