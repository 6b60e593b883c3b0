package io.tributary.media.stream;

import static io.tributary.media.stream.StreamFixtures.ENCODER;
import static io.tributary.media.stream.StreamFixtures.PATH;
import static io.tributary.media.stream.StreamFixtures.WAIT;
import static io.tributary.media.stream.StreamFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Codec;
import io.tributary.media.Frame;
import io.tributary.media.TrackKind;
import io.tributary.media.flv.FlvFrames;
import io.tributary.media.stream.StreamFixtures.Feed;
import io.tributary.media.stream.StreamFixtures.Recorder;
import io.tributary.media.stream.StreamFixtures.Seen;
import io.tributary.media.stream.StreamFixtures.Start;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A live stream's snapshot for new subscribers, its timeline, its caches and what it releases. */
class LiveStreamTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    // Event loops without I/O: subscribers here are not on sockets.
    private final EventLoopGroup loops = new MultiThreadIoEventLoopGroup(4, LocalIoHandler.newFactory());
    private final List<String> disconnects = new CopyOnWriteArrayList<>();
    private final Feed feed = new Feed();
    private StreamRegistry registry = new StreamRegistry(
            settings(Duration.ofSeconds(10), 1 << 20, Duration.ofSeconds(5), 3), scheduler);

    @AfterEach
    void tearDown() {
        registry.endAll("test over");
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
    }

    private Publisher publish() {
        return registry.publish(PATH, "rtmp", ENCODER, disconnects::add);
    }

    @Test
    void aSubscriberJoiningMidGopGetsMetadataConfigsThenTheGopFromItsKeyframeThenLiveFrames() {
        Publisher p = publish();
        p.metadata(feed.metadata(), Feed.metadataValues(30));
        p.send(feed.videoConfig(0));
        p.send(feed.audioConfig(0));
        p.send(feed.key(0));        // #0, first GOP
        p.send(feed.audio(10));     // #1
        p.send(feed.inter(40));     // #2
        p.send(feed.key(80));       // #3, current GOP
        p.send(feed.audio(90));     // #4
        p.send(feed.inter(120));    // #5

        Recorder r = new Recorder(loops.next()).subscribeTo(p.stream());
        p.send(feed.audio(130));    // #6
        p.send(feed.inter(160));    // #7
        r.awaitFrames(8);

        assertThat(r.frames()).extracting(Seen::toString).containsExactly(
                "dinfo@0", "vconfig@0", "aconfig@0", "v#3K@80", "a#4@90", "v#5@120", "a#6@130", "v#7@160");
        assertThat(r.start()).isEqualTo(new Start(true, true, true, 3));
    }

    @Test
    void subscribersJoiningFromOtherThreadsWhileThePublisherPushesGetAContiguousSuffix() throws Exception {
        int total = 20_000;
        int subscribers = 8;
        Publisher p = publish();
        LiveStream stream = p.stream();
        AtomicInteger sent = new AtomicInteger();
        List<Recorder> recorders = new CopyOnWriteArrayList<>();
        List<Thread> joiners = new ArrayList<>();
        for (int k = 0; k < subscribers; k++) {
            int threshold = k * total / subscribers;
            Thread t = new Thread(() -> {
                while (sent.get() < threshold) {
                    Thread.onSpinWait();
                }
                recorders.add(new Recorder(loops.next()).subscribeTo(stream));
            }, "joiner-" + k);
            joiners.add(t);
            t.start();
        }
        Thread publisher = new Thread(() -> {
            p.metadata(feed.metadata(), Feed.metadataValues(25));
            p.send(feed.videoConfig(0));
            p.send(feed.audioConfig(0));
            for (int i = 0; i < total; i++) {
                long dts = (i / 2) * 20L;
                if (i % 2 == 1) {
                    p.send(feed.audio(dts));
                } else if ((i / 2) % 50 == 0) {
                    p.send(feed.key(dts));
                } else {
                    p.send(feed.inter(dts));
                }
                sent.incrementAndGet();
            }
        }, "publisher");
        publisher.start();
        publisher.join();
        for (Thread t : joiners) {
            t.join();
        }
        stream.end("test over");
        for (Recorder r : recorders) {
            r.awaitEvent(StreamEvent.ENDED);
        }

        assertThat(recorders).hasSize(subscribers);
        for (Recorder r : recorders) {
            List<Seen> got = r.frames();
            assertThat(got).as("frames of a subscriber").hasSizeGreaterThan(3);
            assertThat(got.subList(0, 3)).extracting(Seen::kind, Seen::type).containsExactly(
                    tuple(TrackKind.DATA, Frame.Type.INFO),
                    tuple(TrackKind.VIDEO, Frame.Type.CONFIG),
                    tuple(TrackKind.AUDIO, Frame.Type.CONFIG));
            List<Seen> coded = got.subList(3, got.size());
            assertThat(coded).as("only coded frames after the configurations").allMatch(Seen::coded);
            int first = coded.get(0).seq();
            assertThat(first % 100).as("starts on a keyframe (#%d)", first).isZero();
            assertThat(coded.get(0).key()).isTrue();
            assertThat(r.codedSeqs()).as("no gap and no repeat from #%d", first)
                    .isEqualTo(IntStream.range(first, total).boxed().toList());
            assertThat(coded).as("stream time").allMatch(s -> s.dts() == (s.seq() / 2) * 20L);
            assertThat(r.events()).containsExactly(StreamEvent.ENDED);
            assertThat(r.timeline().get(r.timeline().size() - 1)).isEqualTo(StreamEvent.ENDED);
        }
        feed.awaitAllReleased();
    }

    @Test
    void theTimelineStartsAtZeroWhateverThePublisherClockSays() {
        Publisher p = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(p.stream());

        p.send(feed.videoConfig(90_000));
        p.send(feed.key(90_000));
        p.send(feed.audio(90_010));
        p.send(feed.inter(90_040));
        r.awaitFrames(4);

        assertThat(r.dts()).containsExactly(0L, 0L, 10L, 40L);
    }

    @Test
    void aReturningPublisherContinuesAfterTheLastDtsEvenWhenItStartsAtZero() {
        Publisher first = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(first.stream());
        first.send(feed.key(5_000));
        first.send(feed.inter(5_040));
        first.send(feed.inter(5_080));
        first.close();

        Publisher second = publish();
        second.send(feed.key(0));
        second.send(feed.inter(40));
        second.send(feed.audio(60));
        r.awaitFrames(6);

        List<Long> dts = r.dts();
        assertThat(dts.subList(0, 3)).containsExactly(0L, 40L, 80L);
        assertThat(dts.get(3)).as("first frame of the new publisher").isGreaterThan(80L).isLessThanOrEqualTo(200L);
        assertThat(dts.subList(3, 6)).containsExactly(dts.get(3), dts.get(3) + 40, dts.get(3) + 60);
    }

    @Test
    void aPublisherClockJumpingBackMoreThanASecondIsSmoothed() {
        Publisher p = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(p.stream());
        for (long t = 10_000; t <= 12_000; t += 40) {
            p.send(t == 10_000 ? feed.key(t) : feed.inter(t));
        }
        p.send(feed.inter(10_500)); // 1.5 s back
        p.send(feed.inter(10_540));
        p.send(feed.inter(10_580));
        r.awaitFrames(54);

        List<Long> dts = r.dts();
        assertThat(dts.get(50)).isEqualTo(2_000L);
        assertThat(dts.get(51)).as("after the jump").isGreaterThan(2_000L).isLessThanOrEqualTo(2_100L);
        assertThat(dts.subList(51, 54)).containsExactly(dts.get(51), dts.get(51) + 40, dts.get(51) + 80);
    }

    @Test
    void aPublisherClockJumpingForwardMoreThanTenSecondsIsSmoothed() {
        Publisher p = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(p.stream());
        p.send(feed.key(0));
        p.send(feed.inter(40));
        p.send(feed.inter(80));
        p.send(feed.inter(60_000)); // a minute later
        p.send(feed.inter(60_040));
        r.awaitFrames(5);

        List<Long> dts = r.dts();
        assertThat(dts.get(3)).isGreaterThan(80L).isLessThanOrEqualTo(200L);
        assertThat(dts.get(4)).isEqualTo(dts.get(3) + 40);
    }

    @Test
    void interleavedTracksKeepTheirOwnTimesAndSmallStepsBackPassUnchanged() {
        Publisher p = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(p.stream());
        p.send(feed.key(1_000));
        p.send(feed.inter(1_040));
        p.send(feed.audio(1_023));
        p.send(feed.inter(1_080));
        p.send(feed.audio(1_046));
        r.awaitFrames(5);

        assertThat(r.dts()).containsExactly(0L, 40L, 23L, 80L, 46L);
    }

    /** The timeline "starts at zero": audio a little older than the first video frame must not go below it. */
    @Test
    void framesOlderThanTheFirstOneDoNotTakeTheTimelineBelowZero() {
        Publisher p = publish();
        Recorder r = new Recorder(loops.next()).subscribeTo(p.stream());
        p.send(feed.key(1_000));
        p.send(feed.audio(980));
        p.send(feed.audio(1_003));
        r.awaitFrames(3);

        assertThat(r.dts()).as("stream dts").allMatch(dts -> dts >= 0);
    }

    @Test
    void aGopLargerThanTheCacheLimitIsNotCachedAndTheNextOneIs() {
        Feed big = new Feed(300);
        registry = new StreamRegistry(settings(Duration.ofSeconds(10), 1_000, Duration.ofSeconds(5), 3), scheduler);
        Publisher p = publish();
        p.send(big.videoConfig(0));
        p.send(big.key(0));
        p.send(big.inter(40));
        p.send(big.inter(80));
        p.send(big.inter(120)); // four frames of 305 bytes: over 1000

        Recorder late = new Recorder(loops.next()).subscribeTo(p.stream());
        late.awaitStarted();
        assertThat(late.start().gopFrames()).isZero();
        assertThat(late.frames()).singleElement().matches(Seen::config);
        assertThat(big.unreleased()).as("only the configuration is held").hasSize(1);

        p.send(big.key(160));
        p.send(big.inter(200));
        Recorder later = new Recorder(loops.next()).subscribeTo(p.stream());
        later.awaitStarted();
        assertThat(later.start().gopFrames()).isEqualTo(2);
        assertThat(later.codedSeqs()).containsExactly(4, 5);
        p.stream().end("test over");
        big.awaitAllReleased();
    }

    @Test
    void aNewConfigurationReplacesTheCachedOneAndReleasesIt() {
        Publisher p = publish();
        Frame oldConfig = feed.videoConfig(0);
        ByteBuf oldBody = oldConfig.body();
        p.send(oldConfig);
        Frame newConfig = feed.videoConfig(1_000);
        ByteBuf newBody = newConfig.body();
        p.send(newConfig);

        assertThat(oldBody.refCnt()).isZero();
        assertThat(newBody.refCnt()).as("held by the cache").isEqualTo(1);
        p.stream().end("test over");
        assertThat(newBody.refCnt()).isZero();
    }

    @Test
    void aReturningPublisherDropsTheOldConfigurationsAndGop() {
        Publisher first = publish();
        Recorder watcher = new Recorder(loops.next()).subscribeTo(first.stream());
        first.metadata(feed.metadata(), Feed.metadataValues(30));
        first.send(feed.videoConfig(0));
        first.send(feed.audioConfig(0));
        first.send(feed.key(0));
        first.send(feed.inter(40));
        first.close();
        List<ByteBuf> firstBodies = feed.bodies();

        Publisher second = publish();
        Recorder joiner = new Recorder(loops.next()).subscribeTo(second.stream());
        joiner.awaitStarted();

        assertThat(joiner.start()).isEqualTo(new Start(false, false, true, 0));
        assertThat(joiner.frames()).isEmpty();
        assertThat(second.stream().info()).isEqualTo(StreamInfo.EMPTY);
        watcher.awaitEvent(StreamEvent.PUBLISHER_RETURNED);
        await().atMost(WAIT).until(() -> firstBodies.stream().allMatch(b -> b.refCnt() == 0));
    }

    @Test
    void theStreamInfoComesFromTheCodecConfigurations() {
        Publisher p = publish();
        p.metadata(feed.metadata(), Feed.metadataValues(25));
        assertThat(p.stream().info().frameRate()).as("from metadata until a configuration says").isEqualTo(25.0);

        p.send(feed.videoConfig(0));
        p.send(feed.audioConfig(0));

        assertThat(p.stream().info()).isEqualTo(new StreamInfo(Codec.H264, 1280, 720, 30.0, Codec.AAC, 44100, 2));
    }

    @Test
    void aCodecWithoutAConfigurationIsKnownFromItsFirstFrame() {
        Publisher p = publish();

        p.send(FlvFrames.audio(0, Unpooled.buffer().writeByte(0x2F).writeInt(0xFFFB9064)));

        assertThat(p.stream().info().audioCodec()).isEqualTo(Codec.MP3);
        assertThat(p.stream().info().videoCodec()).isNull();
    }

    @Test
    void aSubscriberThatThrowsIsRemovedWithoutDisturbingTheOthers() {
        Publisher p = publish();
        LiveStream stream = p.stream();
        EventExecutor loop = loops.next();
        Recorder before = new Recorder(loop).subscribeTo(stream);
        Recorder thrower = new Recorder(loop).subscribeTo(stream);
        Recorder after = new Recorder(loop).subscribeTo(stream);
        Recorder elsewhere = new Recorder(loops.next()).subscribeTo(stream);
        thrower.onFrame = f -> {
            if (f.type() == Frame.Type.CODED && f.data().getInt(0) == 2) {
                throw new IllegalStateException("player bug");
            }
        };

        for (int i = 0; i < 5; i++) {
            p.send(i == 0 ? feed.key(i * 40L) : feed.inter(i * 40L));
        }

        for (Recorder r : List.of(before, after, elsewhere)) {
            r.awaitFrames(5);
            assertThat(r.codedSeqs()).containsExactly(0, 1, 2, 3, 4);
            assertThat(r.events()).isEmpty();
        }
        thrower.awaitEvent(StreamEvent.ENDED);
        assertThat(thrower.codedSeqs()).containsExactly(0, 1, 2);
        assertThat(thrower.subscription.isCancelled()).isTrue();
        assertThat(stream.subscriberCount()).isEqualTo(3);
        assertThat(stream.viewers("rtmp")).isEqualTo(3);
        assertThat(stream.isEnded()).isFalse();
    }

    @Test
    void everythingIsReleasedOnceTheStreamEndsAndItsSubscribersAreGone() {
        Publisher p = publish();
        LiveStream stream = p.stream();
        p.metadata(feed.metadata(), Feed.metadataValues(30));
        p.send(feed.videoConfig(0));
        p.send(feed.audioConfig(0));
        List<Recorder> recorders = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long dts = i * 20L;
            p.send(i % 2 == 1 ? feed.audio(dts) : i % 20 == 0 ? feed.key(dts) : feed.inter(dts));
            if (i % 15 == 7) {
                recorders.add(new Recorder(loops.next()).subscribeTo(stream));
            }
        }
        assertThat(feed.unreleased()).as("held while live: configurations, metadata, the GOP").isNotEmpty();

        stream.end("test over");

        for (Recorder r : recorders) {
            r.awaitEvent(StreamEvent.ENDED);
        }
        feed.awaitAllReleased();
        assertThat(disconnects).containsExactly("test over");
    }

    @Test
    void framesSentAfterTheEndAreReleased() {
        Publisher p = publish();
        p.stream().end("operator stopped it");
        Frame late = feed.key(0);
        Frame lateMetadata = feed.metadata();

        p.send(late);
        p.metadata(lateMetadata, Feed.metadataValues(30));

        assertThat(late.refCnt()).isZero();
        assertThat(lateMetadata.refCnt()).isZero();
    }

    @Test
    void subscribingToAnEndedStreamIsNotFound() {
        Publisher p = publish();
        LiveStream stream = p.stream();
        stream.end("test over");

        assertThatThrownBy(() -> stream.subscribe(new Recorder(loops.next())))
                .isInstanceOfSatisfying(StreamException.class,
                        e -> assertThat(e.reason()).isEqualTo(StreamException.Reason.NOT_FOUND));
        assertThat(stream.subscriberCount()).isZero();
    }
}
