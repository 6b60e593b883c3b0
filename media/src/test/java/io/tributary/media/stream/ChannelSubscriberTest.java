package io.tributary.media.stream;

import static io.tributary.media.stream.StreamFixtures.ENCODER;
import static io.tributary.media.stream.StreamFixtures.PATH;
import static io.tributary.media.stream.StreamFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.tributary.media.Frame;
import io.tributary.media.TrackKind;
import io.tributary.media.stream.StreamFixtures.Feed;
import io.tributary.media.stream.StreamFixtures.Player;
import io.tributary.media.stream.StreamFixtures.Seen;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The player rules every protocol shares, on an {@link EmbeddedChannel} whose writability the test
 * switches: timestamps per player, the bounded queue of a slow player, skipping and disconnecting.
 * Frames are 100 ms apart with a keyframe every 500 ms; the maximum lag is one second.
 */
class ChannelSubscriberTest {
    private static final Duration MAX_LAG = Duration.ofMillis(1_000);
    /** No GOP cache: then every body still referenced is in a player's queue (or is a configuration). */
    private static final StreamSettings NO_GOP_CACHE = settings(Duration.ofSeconds(30), 0, MAX_LAG, 3);

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Feed feed = new Feed();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final Map<ByteBuf, Long> dtsOf = new IdentityHashMap<>();
    private StreamRegistry registry = new StreamRegistry(NO_GOP_CACHE, scheduler);
    private Publisher publisher;

    @AfterEach
    void tearDown() {
        registry.endAll("test over");
        pump();
        for (EmbeddedChannel ch : channels) {
            ch.finishAndReleaseAll();
        }
        scheduler.shutdownNow();
        feed.assertAllReleased();
    }

    @Test
    void timestampsStartAtZeroAtTheFirstCodedFrameAndStayMonotonicPerTrack() {
        registry = new StreamRegistry(settings(Duration.ofSeconds(30), 1 << 20, MAX_LAG, 3), scheduler);
        publisher = registry.publish(PATH, "rtmp", ENCODER, reason -> { });
        publisher.metadata(feed.metadata(), Feed.metadataValues(30));
        send(feed.videoConfig(0));
        send(feed.audioConfig(0));
        send(feed.key(0));          // #0
        send(feed.inter(40));       // #1
        send(feed.key(4_000));      // #2: the GOP a new player starts with
        send(feed.audio(3_990));    // #3: audio older than the keyframe
        send(feed.inter(4_040));    // #4
        send(feed.audio(4_013));    // #5
        send(feed.audio(4_003));    // #6: a small step back
        Player player = player(registry.settings());

        send(feed.inter(4_080));    // #7
        send(feed.audio(4_026));    // #8

        List<Seen> written = player.written();
        assertThat(written).extracting(Seen::toString).containsExactly(
                "dinfo@0/0", "vconfig@0/0", "aconfig@0/0", "v#2K@4000/0", "a#3@3990/0", "v#4@4040/40",
                "a#5@4013/13", "a#6@4003/13", "v#7@4080/80", "a#8@4026/26");
        assertMonotonicPerTrack(written);
    }

    @Test
    void aPlayerWithoutACachedGopStartsAtTheNextKeyframeAndConfigurationsBeforeItGetZero() {
        publisher = publish();
        send(feed.videoConfig(0));
        send(feed.key(0));
        send(feed.inter(100));
        Player player = player(NO_GOP_CACHE);

        send(feed.inter(200));       // #2: no keyframe yet, cannot be decoded
        send(feed.audio(210));       // #3: audio waits for the picture too
        send(feed.videoConfig(300)); // the encoder repeats its configuration
        send(feed.key(500));         // #4
        send(feed.audio(490));       // #5
        send(feed.inter(600));       // #6

        assertThat(player.written()).extracting(Seen::toString).containsExactly(
                "vconfig@0/0", "vconfig@300/0", "v#4K@500/0", "a#5@490/0", "v#6@600/100");
        assertThat(player.framesDropped()).isEqualTo(2);
        assertThat(player.framesSent()).isEqualTo(5);
        assertThat(publisher.stream().droppedFramesForSlowPlayers())
                .as("starting at a keyframe is not slowness").isZero();
    }

    @Test
    void aStalledPlayerQueuesThenSkipsToTheNextKeyframeBeyondTheMaximumLag() {
        publisher = publish();
        Player player = player(NO_GOP_CACHE);
        send(feed.videoConfig(0));
        sendVideo(0, 200);
        EmbeddedChannel ch = channelOf(player);

        writable(ch, false);
        sendVideo(300, 1_300);
        assertThat(player.framesSent()).as("nothing written while unwritable").isEqualTo(4);
        assertThat(player.framesDropped()).isZero();
        assertThat(heldVideo()).as("queued").containsExactly(300L, 400L, 500L, 600L, 700L, 800L, 900L, 1_000L,
                1_100L, 1_200L, 1_300L);

        sendVideo(1_400, 1_400); // 1.1 s queued: skip
        assertThat(heldVideo()).as("queue after the skip").isEmpty();
        assertThat(player.framesDropped()).isEqualTo(12);
        assertThat(publisher.stream().droppedFramesForSlowPlayers()).isEqualTo(12);
        sendVideo(1_500, 1_900);
        assertThat(heldVideo()).containsExactly(1_500L, 1_600L, 1_700L, 1_800L, 1_900L);

        writable(ch, true);

        assertThat(player.writtenSeqs()).containsExactly(0, 1, 2, 15, 16, 17, 18, 19);
        assertThat(player.written().get(4).timestamp()).isEqualTo(1_500L);
        assertThat(heldVideo()).isEmpty();
        assertThat(player.isClosed()).isFalse();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void framesASlowPlayerLosesAreCountedOnItsStreamUpToTheKeyframeItResumesAt() {
        publisher = publish();
        Player player = player(NO_GOP_CACHE);
        send(feed.videoConfig(0));
        sendVideo(0, 100);
        writable(channelOf(player), false);
        sendVideo(200, 1_300); // 1.1 s queued at 1300: the twelve queued frames go
        writable(channelOf(player), true);

        sendVideo(1_400, 1_600); // 1400 is skipped too: the player resumes at the keyframe at 1500

        assertThat(player.writtenSeqs()).containsExactly(0, 1, 15, 16);
        assertThat(player.framesDropped()).isEqualTo(13);
        assertThat(publisher.stream().droppedFramesForSlowPlayers()).isEqualTo(13);
    }

    @Test
    void aConfigurationQueuedBeforeASkipIsKeptAndWrittenBeforeTheNextKeyframe() {
        publisher = publish();
        Player player = player(NO_GOP_CACHE);
        send(feed.videoConfig(0));
        sendVideo(0, 200);
        EmbeddedChannel ch = channelOf(player);

        writable(ch, false);
        sendVideo(300, 1_300);
        send(feed.videoConfig(1_350)); // the encoder changes its parameters
        sendVideo(1_400, 1_800);       // skip at 1400; the new configuration stays
        writable(ch, true);

        assertThat(player.written().subList(4, player.written().size())).extracting(Seen::toString)
                .containsExactly("vconfig@1350/1350", "v#15K@1500/1500", "v#16@1600/1600", "v#17@1700/1700",
                        "v#18@1800/1800");
        assertThat(player.framesDropped()).isEqualTo(12);
    }

    /**
     * What is kept across a skip (script data, configurations) has old timestamps; the lag must still be
     * measured on the media, or the player skips again at every keyframe and is soon disconnected.
     */
    @Test
    void dataKeptAcrossASkipDoesNotMakeThePlayerSkipAgainAtTheNextKeyframe() {
        publisher = publish();
        Player player = player(NO_GOP_CACHE);
        send(feed.videoConfig(0));
        sendVideo(0, 200);
        EmbeddedChannel ch = channelOf(player);

        writable(ch, false);
        sendVideo(300, 300);
        send(feed.cuePoint(350));
        sendVideo(400, 1_400);   // skip: 300..1400 dropped, the cue point kept
        sendVideo(1_500, 2_400); // resumes at 1500, 0.9 s behind: no reason to skip again

        assertThat(player.isClosed()).as("closed after one skip").isFalse();
        writable(ch, true);
        List<Seen> afterStall = player.written().subList(4, player.written().size());
        assertThat(afterStall).isNotEmpty();
        assertThat(afterStall.get(0).kind()).isEqualTo(TrackKind.DATA);
        assertThat(afterStall.subList(1, afterStall.size())).extracting(Seen::seq)
                .as("resumed at the keyframe after the skip")
                .isEqualTo(IntStream.rangeClosed(15, 24).boxed().toList());
    }

    @Test
    void aPlayerThatKeepsFallingBehindIsClosedAfterMaxDropsSkipsWithinAMinute() {
        publisher = publish();
        LiveStream stream = publisher.stream();
        Player player = player(NO_GOP_CACHE);
        send(feed.videoConfig(0));
        sendVideo(0, 200);
        EmbeddedChannel ch = channelOf(player);
        writable(ch, false);

        sendVideo(300, 2_700); // skips at 1400 and 2600
        assertThat(player.isClosed()).as("after two skips").isFalse();
        assertThat(stream.viewers("flv")).isEqualTo(1);
        long t = 2_800;
        while (!player.isClosed() && t <= 10_000) {
            sendVideo(t, t);
            t += 100;
        }

        assertThat(player.isClosed()).isTrue();
        assertThat(t - 100).as("closed at the third skip").isLessThanOrEqualTo(4_100L);
        assertThat(ch.isOpen()).isFalse();
        assertThat(stream.viewers("flv")).isZero();
        assertThat(stream.subscriberCount()).isZero();
        assertThat(heldVideo()).as("its queue is freed").isEmpty();
        assertThat(player.ended()).as("closed for being slow, not ended").isFalse();
    }

    @Test
    void theQueueOfAStalledPlayerNeverHoldsMoreThanTheLagWindow() {
        StreamSettings patient = settings(Duration.ofSeconds(30), 0, MAX_LAG, 1_000);
        registry = new StreamRegistry(patient, scheduler);
        publisher = publish();
        Player player = player(patient);
        send(feed.videoConfig(0));
        send(feed.audioConfig(0));
        sendVideo(0, 0);
        writable(channelOf(player), false);

        long maxHeld = 0;
        for (long t = 100; t <= 20_000; t += 100) {
            sendVideo(t, t);
            send(feed.audio(t + 23));
            send(feed.audio(t + 46));
            List<Long> held = held();
            long span = held.isEmpty() ? 0 : held.get(held.size() - 1) - held.get(0);
            assertThat(span).as("media queued at %d ms", t).isLessThanOrEqualTo(MAX_LAG.toMillis());
            maxHeld = Math.max(maxHeld, held.size());
        }
        assertThat(maxHeld).as("frames queued at most").isLessThanOrEqualTo(33);
        assertThat(player.framesDropped()).isPositive();
        assertThat(player.isClosed()).isFalse();
    }

    @Test
    void aNormalPlayerSharingTheStreamIsUnaffectedByAStalledOne() {
        publisher = publish();
        Player slow = player(NO_GOP_CACHE);
        Player normal = player(NO_GOP_CACHE);
        send(feed.videoConfig(0));
        writable(channelOf(slow), false);

        sendVideo(0, 9_900);

        assertThat(normal.writtenSeqs()).isEqualTo(IntStream.range(0, 100).boxed().toList());
        assertThat(normal.framesDropped()).isZero();
        assertThat(normal.written()).extracting(Seen::timestamp)
                .isEqualTo(IntStream.range(-1, 100).mapToObj(i -> Math.max(0, i) * 100L).toList());
        assertThat(slow.framesDropped()).isPositive();
        assertThat(slow.isClosed()).isTrue();
        assertThat(normal.isClosed()).isFalse();
    }

    @Test
    void whenTheStreamEndsAStalledPlayerFreesItsQueueAndEnds() {
        publisher = publish();
        LiveStream stream = publisher.stream();
        Player player = player(NO_GOP_CACHE);
        sendVideo(0, 200);
        writable(channelOf(player), false);
        sendVideo(300, 800);
        assertThat(heldVideo()).hasSize(6);

        stream.end("publisher kicked");
        pump();

        assertThat(player.ended()).isTrue();
        assertThat(player.isClosed()).isTrue();
        assertThat(channelOf(player).isOpen()).isFalse();
        assertThat(heldVideo()).isEmpty();
        assertThat(stream.subscriberCount()).isZero();
    }

    @Test
    void whenThePublisherReturnsThePlayerWaitsForItsFirstKeyframe() {
        publisher = publish();
        Player player = player(NO_GOP_CACHE);
        send(feed.videoConfig(0));
        sendVideo(0, 100);
        publisher.close();
        pump();
        assertThat(player.publisherLeftCalls()).isEqualTo(1);

        publisher = publish();
        send(feed.videoConfig(0));
        send(feed.inter(0));   // #2: the new encoder's stream starts mid-GOP
        send(feed.audio(10));  // #3
        send(feed.key(40));    // #4
        send(feed.inter(80));  // #5

        assertThat(player.publisherReturnedCalls()).isEqualTo(1);
        assertThat(player.writtenSeqs()).containsExactly(0, 1, 4, 5);
        assertThat(publisher.stream().droppedFramesForSlowPlayers())
                .as("waiting for a returning publisher's keyframe is not slowness").isZero();
        assertMonotonicPerTrack(player.written());
        assertThat(player.written().get(player.written().size() - 2).timestamp())
                .as("continues after the first publisher").isGreaterThan(100L);
    }

    // --- helpers ---

    private Publisher publish() {
        return registry.publish(PATH, "rtmp", ENCODER, reason -> { });
    }

    private Player player(StreamSettings settings) {
        EmbeddedChannel ch = new EmbeddedChannel();
        Player player = new Player(ch, settings);
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                player.writabilityChanged();
                ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                player.stop();
                ctx.fireChannelInactive();
            }
        });
        channels.add(ch);
        player.subscribeTo(registry.find(PATH).orElseThrow());
        pump();
        return player;
    }

    private EmbeddedChannel channelOf(Player player) {
        return (EmbeddedChannel) player.channel;
    }

    private void writable(EmbeddedChannel ch, boolean writable) {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, writable);
        pump();
    }

    /** Hands a frame to the stream and lets every player's loop run. */
    private void send(Frame frame) {
        dtsOf.put(frame.body(), frame.dts());
        publisher.send(frame);
        pump();
    }

    /** Video every 100 ms from {@code from} to {@code to}, a keyframe every 500 ms. */
    private void sendVideo(long from, long to) {
        for (long t = from; t <= to; t += 100) {
            send(t % 500 == 0 ? feed.key(t) : feed.inter(t));
        }
    }

    /** Runs the tasks of every embedded loop and consumes what the players wrote. */
    private void pump() {
        for (EmbeddedChannel ch : channels) {
            ch.runPendingTasks();
            Object written;
            while ((written = ch.readOutbound()) != null) {
                ReferenceCountUtil.release(written);
            }
        }
    }

    /** Publisher dts of the coded frames someone still holds, oldest first. */
    private List<Long> held() {
        return feed.unreleased().stream()
                .filter(b -> b.getUnsignedByte(b.readerIndex() + 1) == 1) // AVC NALU or raw AAC
                .map(dtsOf::get)
                .sorted()
                .toList();
    }

    private List<Long> heldVideo() {
        return feed.unreleased().stream()
                .filter(b -> (b.getUnsignedByte(b.readerIndex()) & 0x0F) == 7)
                .filter(b -> b.getUnsignedByte(b.readerIndex() + 1) == 1)
                .map(dtsOf::get)
                .sorted()
                .toList();
    }

    private static void assertMonotonicPerTrack(List<Seen> written) {
        for (TrackKind kind : TrackKind.values()) {
            List<Long> ts = written.stream().filter(s -> s.kind() == kind).map(Seen::timestamp).toList();
            assertThat(ts).as("%s timestamps", kind).isSorted();
        }
    }
}
