package io.tributary.cluster.directory;

import static io.tributary.cluster.directory.DirectoryNode.APP;
import static io.tributary.cluster.directory.DirectoryNode.CHECK_TIMEOUT;
import static io.tributary.cluster.directory.DirectoryNode.liveOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.membership.FaultyStore;
import io.tributary.cluster.membership.TestMember;
import io.tributary.cluster.node.NodeState;
import io.tributary.cluster.store.EmbeddedStore;
import io.tributary.media.stream.StreamException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Claiming a stream for this node (node-a). Another node, node-b, is a record in the shared store that node-a's
 * membership watches on a clock the test moves: still, node-b is alive; 250 ms later it is suspect; 450 ms
 * later, dead.
 */
class StreamDirectoryClaimTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final long MS = 1_000_000L;
    private static final long START = 1_700_000_000_000L;

    @TempDir
    Path dataDir;

    private EmbeddedStore store;
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong wall = new AtomicLong(START);
    private DirectoryNode a;

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dataDir);
        store.putNode(TestMember.template("node-b", "node-b-1"));
        a = DirectoryNode.start(store, "node-a", nanos::get, wall);
        await().atMost(WAIT).until(() -> a.member.membership().state("node-b").isPresent());
    }

    @AfterEach
    void stop() {
        a.close();
        store.close();
    }

    private Broadcast stored(String streamId) {
        return store.get(APP, streamId).orElseThrow();
    }

    private static StreamException.Reason reasonOf(Runnable claim) {
        try {
            claim.run();
        } catch (StreamException e) {
            return e.reason();
        }
        throw new AssertionError("the claim was accepted");
    }

    @Test
    void aClaimOnAStreamNobodyCreatedCreatesAZombiRecordOwnedByThisNode() {
        Broadcast claimed = a.claim("cam1");

        Broadcast record = stored("cam1");
        assertThat(record.isZombi()).isTrue();
        assertThat(record.getStatus()).isEqualTo(BroadcastStatus.BROADCASTING);
        assertThat(record.getOriginNode()).isEqualTo("node-a");
        assertThat(record.getOriginAddress()).isEqualTo("node-a.example.net");
        assertThat(record.getPublishType()).isEqualTo("RTMP");
        assertThat(record.getIpAddr()).isEqualTo("192.0.2.7");
        assertThat(record.getStartTime()).isEqualTo(START);
        assertThat(record.getDate()).isEqualTo(START);
        assertThat(record.getVersion()).isEqualTo(1);
        assertThat(claimed.getVersion()).isEqualTo(record.getVersion());
        assertThat(a.directory.lookup(APP, "cam1")).get().satisfies(e -> {
            assertThat(e.live()).isTrue();
            assertThat(e.originNode()).isEqualTo("node-a");
            assertThat(e.version()).isEqualTo(1);
        });
        assertThat(a.directory.claimedBySelf()).extracting(DirectoryEntry::path).containsExactly("live/cam1");
        assertThat(a.announcer.announced()).singleElement().satisfies(n -> {
            assertThat(n.what()).isEqualTo("published");
            assertThat(n.entry()).isEqualTo(DirectoryEntry.of(APP, record));
        });
    }

    @Test
    void aClaimOnAStreamNobodyCreatedIsRefusedWhenTheAppTakesOnlyCreatedStreams() {
        a.acceptUndefined.set(false);

        assertThatThrownBy(() -> a.claim("cam1")).isInstanceOf(StreamException.class)
                .hasMessageContaining("cam1")
                .satisfies(e -> assertThat(((StreamException) e).reason()).isEqualTo(StreamException.Reason.NOT_FOUND));
        assertThat(store.get(APP, "cam1")).isEmpty();
        assertThat(a.directory.lookup(APP, "cam1")).isEmpty();
        assertThat(a.announcer.announced()).isEmpty();
    }

    @Test
    void aClaimOnACreatedStreamMakesItLiveHereAndKeepsWhatItsCreatorSet() {
        a.acceptUndefined.set(false);
        Broadcast created = new Broadcast("show");
        created.setName("Evening show");
        store.create(APP, created);

        a.claim("show");

        Broadcast record = stored("show");
        assertThat(record.getName()).isEqualTo("Evening show");
        assertThat(record.isZombi()).isFalse();
        assertThat(record.getStatus()).isEqualTo(BroadcastStatus.BROADCASTING);
        assertThat(record.getOriginNode()).isEqualTo("node-a");
        assertThat(record.getVersion()).isEqualTo(2);
        assertThat(a.directory.lookup(APP, "show")).get().extracting(DirectoryEntry::version).isEqualTo(2L);
    }

    @Test
    void aClaimOnABroadcastWhosePublishingIsDisabledIsForbidden() {
        Broadcast closed = new Broadcast("closed");
        closed.setPublish(false);
        store.create(APP, closed);

        assertThat(reasonOf(() -> a.claim("closed"))).isEqualTo(StreamException.Reason.FORBIDDEN);
        assertThat(stored("closed").getVersion()).isEqualTo(1);
        assertThat(stored("closed").getStatus()).isEqualTo(BroadcastStatus.CREATED);
    }

    @Test
    void aClaimOnAStreamAnAliveAndAnsweringNodePublishesIsBusy() {
        store.create(APP, liveOn("cam1", "node-b", START - 60_000));

        assertThatThrownBy(() -> a.claim("cam1")).isInstanceOf(StreamException.class)
                .hasMessageContaining("node-b")
                .satisfies(e -> assertThat(((StreamException) e).reason()).isEqualTo(StreamException.Reason.BUSY));
        assertThat(a.probe.asked()).containsExactly(new TestProbe.Asked("node-b", CHECK_TIMEOUT));
        assertThat(stored("cam1").getOriginNode()).isEqualTo("node-b");
        assertThat(stored("cam1").getVersion()).isEqualTo(1);
        assertThat(a.announcer.announced()).isEmpty();
    }

    /** Why node-b no longer serves the stream it is origin of. */
    enum OriginGone {
        SUSPECT, DEAD, UNKNOWN, NOT_ANSWERING
    }

    @ParameterizedTest
    @EnumSource(OriginGone.class)
    void aClaimTakesOverAtOnceWhenTheOriginNoLongerServes(OriginGone why) {
        String origin = why == OriginGone.UNKNOWN ? "node-never-seen" : "node-b";
        store.create(APP, liveOn("cam1", origin, START - 60_000));
        switch (why) {
            case SUSPECT -> nanos.set(250 * MS);
            case DEAD -> nanos.set(450 * MS);
            case NOT_ANSWERING -> a.probe.answers(false);
            case UNKNOWN -> { }
        }
        if (why == OriginGone.SUSPECT || why == OriginGone.DEAD) {
            NodeState expected = why == OriginGone.SUSPECT ? NodeState.SUSPECT : NodeState.DEAD;
            await().atMost(WAIT).until(() -> a.member.membership().state("node-b").orElseThrow() == expected);
        }

        Broadcast taken = a.claim("cam1");

        assertThat(taken.getOriginNode()).isEqualTo("node-a");
        assertThat(stored("cam1").getOriginNode()).isEqualTo("node-a");
        assertThat(stored("cam1").getOriginAddress()).isEqualTo("node-a.example.net");
        assertThat(stored("cam1").getStartTime()).isEqualTo(START);
        assertThat(stored("cam1").getVersion()).isEqualTo(2);
        assertThat(a.directory.lookup(APP, "cam1")).get().extracting(DirectoryEntry::originNode).isEqualTo("node-a");
        if (why == OriginGone.NOT_ANSWERING) {
            assertThat(a.probe.asked()).containsExactly(new TestProbe.Asked("node-b", CHECK_TIMEOUT));
        } else {
            assertThat(a.probe.asked()).as("a node that is not alive is not asked").isEmpty();
        }
    }

    @Test
    void aNodeClaimingAStreamItIsAlreadyOriginOfTakesItWithoutAskingAnyone() {
        store.create(APP, liveOn("cam1", "node-a", START - 60_000)); // left over from before a restart

        a.claim("cam1");

        assertThat(stored("cam1").getVersion()).isEqualTo(2);
        assertThat(stored("cam1").getStartTime()).isEqualTo(START);
        assertThat(a.probe.asked()).isEmpty();
    }

    @Test
    void aCreatedStreamCanBePublishedAgainAfterItsPublisherStopped() {
        store.create(APP, new Broadcast("show"));
        a.claim("show");
        a.release("show");

        a.claim("show");

        assertThat(stored("show").getStatus()).isEqualTo(BroadcastStatus.BROADCASTING);
        assertThat(a.directory.lookup(APP, "show")).get().satisfies(e -> {
            assertThat(e.live()).isTrue();
            assertThat(e.version()).isEqualTo(stored("show").getVersion());
        });
    }

    @Test
    void aStreamNobodyCreatedIsFoundInTheDirectoryWhenPublishedAgainAfterItsRecordWent() {
        a.claim("cam1");
        a.release("cam1"); // a zombi record goes when its publisher stops
        assertThat(store.get(APP, "cam1")).isEmpty();

        a.claim("cam1"); // the encoder reconnects

        assertThat(stored("cam1").getOriginNode()).isEqualTo("node-a");
        assertThat(a.directory.lookup(APP, "cam1")).as("the directory entry of the live stream live/cam1")
                .get().extracting(DirectoryEntry::originNode).isEqualTo("node-a");
        assertThat(a.directory.claimedBySelf()).extracting(DirectoryEntry::path).containsExactly("live/cam1");
    }

    @Test
    void aClaimWhileTheStoreIsUnavailableIsRefusedAsUnavailable() {
        FaultyStore faulty = new FaultyStore(store);
        StreamDirectory directory = new StreamDirectory(faulty, a.member.membership(), a.probe, CHECK_TIMEOUT,
                app -> true, "node-a.example.net", a.storeExecutor, wall::get);
        faulty.down(true);

        assertThatThrownBy(() -> directory.claim(APP, "cam1", DirectoryNode.RTMP_FROM_ENCODER))
                .isInstanceOf(StreamException.class)
                .hasMessageContaining("unavailable")
                .satisfies(e -> assertThat(((StreamException) e).reason())
                        .isEqualTo(StreamException.Reason.UNAVAILABLE));
        assertThat(store.get(APP, "cam1")).isEmpty();
    }
}
