package io.tributary.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.util.concurrent.DefaultEventExecutor;
import io.tributary.hls.playlist.DashManifest;
import io.tributary.hls.playlist.MediaPlaylist;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamEvent;
import io.tributary.media.stream.StreamSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** How a stream is cut into segments and parts, and what its playlist says, with synthetic frames. */
class HlsStreamTest {
    private static final long WALL_AT_ZERO = 1_790_000_000_000L;

    private final DefaultEventExecutor executor = new DefaultEventExecutor();
    private final AtomicLong wall = new AtomicLong(WALL_AT_ZERO);

    @AfterEach
    void stop() {
        executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private HlsStream stream(HlsMode mode, RecordingFormat format) {
        return new HlsStream(new StreamPath("live", "cam"), HlsSettings.DEFAULTS.withMode(mode), executor, wall::get,
                format);
    }

    /** Runs on the stream's executor, as the live stream would deliver: start, then every frame. */
    private void start(HlsStream s) throws Exception {
        executor.submit(() -> s.onStart(new StreamSnapshot(true, true, true, null, SyntheticStream.videoConfig(0),
                SyntheticStream.audioConfig(0), List.of()))).get();
    }

    private void feed(HlsStream s, List<Frame> frames) throws Exception {
        executor.submit(() -> {
            for (Frame f : frames) {
                wall.set(WALL_AT_ZERO + f.dts());
                s.onFrame(f);
                f.release();
            }
        }).get();
    }

    private void event(HlsStream s, StreamEvent e) throws Exception {
        executor.submit(() -> s.onEvent(e)).get();
    }

    @Test
    void segmentsStartAtKeyframesAndLastTheSegmentDuration() throws Exception {
        RecordingFormat format = new RecordingFormat(false);
        HlsStream s = stream(HlsMode.TS, format);
        start(s);
        feed(s, SyntheticStream.coded(0, 20_000, 60, true, true));

        PlaylistView v = s.view();
        assertThat(v.targetDuration()).isEqualTo(2);
        assertThat(v.segments()).hasSize(6).allSatisfy(seg -> {
            assertThat(seg.durationMillis()).isBetween(1966L, 2034L);
            assertThat(seg.independent()).isTrue();
        });
        assertThat(v.segments()).extracting(Segment::sequence).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(v.mediaSequence()).isEqualTo(3);
        assertThat(format.chunks).allSatisfy(c -> {
            assertThat(c.segmentStart()).isTrue();
            assertThat(c.video().get(0)).as("a segment's first frame is video (the keyframe)").isTrue();
        });
        assertThat(v.segments()).extracting(Segment::programDateTime)
                .containsExactly(WALL_AT_ZERO + 6000, WALL_AT_ZERO + 8000, WALL_AT_ZERO + 10_000,
                        WALL_AT_ZERO + 12_000, WALL_AT_ZERO + 14_000, WALL_AT_ZERO + 16_000);

        String m3u8 = MediaPlaylist.render(v, "cam");
        assertThat(m3u8).startsWith("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXT-X-MEDIA-SEQUENCE:3\n")
                .contains("#EXT-X-PROGRAM-DATE-TIME:2026-09-21T14:13:26Z\n#EXTINF:2.000,\ncam/3.ts\n")
                .doesNotContain("#EXT-X-ENDLIST", "#EXT-X-MAP", "#EXT-X-PART");
        assertThat(v.segment(0)).as("segment 0 left the window long ago; a segment stays briefly after").isNotNull();
    }

    @Test
    void aPublisherThatSendsNoKeyframesStillGetsSegmentsWithinTheTargetDuration() throws Exception {
        RecordingFormat format = new RecordingFormat(false);
        HlsStream s = stream(HlsMode.TS, format);
        start(s);
        feed(s, SyntheticStream.coded(0, 4000, 60, true, true));
        feed(s, SyntheticStream.coded(4000, 10_000, 0, true, true)); // no keyframe for 10 s

        PlaylistView v = s.view();
        assertThat(v.targetDuration()).isEqualTo(2);
        List<Segment> all = v.retained();
        assertThat(all).allSatisfy(seg -> assertThat(Math.round(seg.durationMillis() / 1000.0))
                .as("EXTINF rounded never exceeds the target duration").isLessThanOrEqualTo(2));
        assertThat(all).filteredOn(seg -> !seg.independent()).as("cut without a keyframe").hasSizeGreaterThan(2);
        assertThat(all).extracting(Segment::sequence).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void keyframesFurtherApartThanTheSegmentDurationSetTheTargetDuration() throws Exception {
        HlsStream s = stream(HlsMode.TS, new RecordingFormat(false));
        start(s);
        feed(s, SyntheticStream.coded(0, 17_000, 120, true, true)); // a keyframe every 4 s

        PlaylistView v = s.view();
        assertThat(v.targetDuration()).isEqualTo(4);
        assertThat(v.segments()).hasSize(4).allSatisfy(seg -> {
            assertThat(seg.durationMillis()).isBetween(3966L, 4034L);
            assertThat(seg.independent()).isTrue();
        });
    }

    @Test
    void lowLatencyPartsNeverExceedThePartTargetAndTileTheirSegment() throws Exception {
        RecordingFormat format = new RecordingFormat(true);
        HlsStream s = stream(HlsMode.LLHLS, format);
        start(s);
        feed(s, SyntheticStream.coded(0, 8500, 60, true, true));

        PlaylistView v = s.view();
        long partTarget = HlsSettings.DEFAULTS.partDuration().toMillis();
        assertThat(v.segments()).hasSize(4).allSatisfy(seg -> {
            assertThat(seg.parts()).hasSizeBetween(6, 7);
            assertThat(seg.parts()).allSatisfy(p -> assertThat(p.durationMillis()).isLessThanOrEqualTo(partTarget));
            assertThat(seg.parts().subList(0, seg.parts().size() - 1))
                    .allSatisfy(p -> assertThat(p.durationMillis()).isGreaterThanOrEqualTo(partTarget * 85 / 100));
            assertThat(seg.parts().stream().mapToLong(Part::durationMillis).sum()).isEqualTo(seg.durationMillis());
            assertThat(seg.parts().get(0).independent()).isTrue();
            assertThat(seg.parts().subList(1, seg.parts().size())).noneMatch(Part::independent);
            assertThat(seg.chunks()).hasSize(seg.parts().size());
        });
        assertThat(v.pendingParts()).isNotEmpty();

        String m3u8 = MediaPlaylist.render(v, "cam");
        assertThat(m3u8).contains("#EXT-X-VERSION:9\n", "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.999\n",
                "#EXT-X-PART-INF:PART-TARGET=0.333\n", "#EXT-X-MAP:URI=\"cam/init1.mp4\"\n",
                "#EXT-X-PART:DURATION=0.333,URI=\"cam/0.0.m4s\",INDEPENDENT=YES\n",
                "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"cam/4." + v.pendingParts().size() + ".m4s\"\n");
    }

    @Test
    void aBlockingReloadReturnsWhenTheAskedPartExists() throws Exception {
        HlsStream s = stream(HlsMode.LLHLS, new RecordingFormat(true));
        start(s);
        feed(s, SyntheticStream.coded(0, 2100, 60, true, true));
        PlaylistView before = s.view();
        long msn = before.nextSequence();
        int next = before.pendingParts().size();

        CompletableFuture<PlaylistView> waiting = s.await(v -> v.has(msn, next), Duration.ofSeconds(5));
        executor.submit(() -> { }).get(); // the waiter is registered
        assertThat(waiting).isNotDone();

        feed(s, SyntheticStream.coded(2100, 400, 60, true, true));
        PlaylistView after = waiting.get(1, TimeUnit.SECONDS);
        assertThat(after.part(msn, next)).isNotNull();
    }

    @Test
    void aWaitThatNothingSatisfiesTimesOut() throws Exception {
        HlsStream s = stream(HlsMode.LLHLS, new RecordingFormat(true));
        start(s);
        CompletableFuture<PlaylistView> waiting = s.await(v -> v.has(5, 0), Duration.ofMillis(100));
        assertThatThrownBy(() -> waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);
    }

    @Test
    void aReturningPublisherStartsADiscontinuityAndTheEndAddsEndlist() throws Exception {
        HlsStream s = stream(HlsMode.FMP4, new RecordingFormat(true));
        start(s);
        feed(s, SyntheticStream.coded(0, 5000, 60, true, true));
        event(s, StreamEvent.PUBLISHER_LEFT);
        event(s, StreamEvent.PUBLISHER_RETURNED);
        feed(s, SyntheticStream.coded(6000, 4100, 60, true, true));

        PlaylistView v = s.view();
        assertThat(v.segments()).extracting(Segment::discontinuity).containsExactly(false, false, false, true, false);
        assertThat(v.segments().get(2).durationMillis()).as("cut when the publisher left").isBetween(1000L, 1100L);
        assertThat(MediaPlaylist.render(v, "cam")).contains("#EXT-X-DISCONTINUITY\n#EXT-X-PROGRAM-DATE-TIME")
                .doesNotContain("#EXT-X-DISCONTINUITY-SEQUENCE");

        CompletableFuture<PlaylistView> waiting = s.await(x -> x.has(100, -1), Duration.ofSeconds(5));
        event(s, StreamEvent.ENDED);
        PlaylistView end = waiting.get(1, TimeUnit.SECONDS);
        assertThat(end.ended()).isTrue();
        assertThat(MediaPlaylist.render(end, "cam")).endsWith("#EXT-X-ENDLIST\n");
    }

    @Test
    void theDiscontinuitySequenceCountsDiscontinuitiesThatLeftTheWindow() throws Exception {
        HlsStream s = stream(HlsMode.TS, new RecordingFormat(false));
        start(s);
        feed(s, SyntheticStream.coded(0, 4000, 60, true, true));
        event(s, StreamEvent.PUBLISHER_LEFT);
        event(s, StreamEvent.PUBLISHER_RETURNED);
        feed(s, SyntheticStream.coded(4000, 20_000, 60, true, true));

        PlaylistView v = s.view();
        assertThat(v.segments()).noneMatch(Segment::discontinuity);
        assertThat(MediaPlaylist.render(v, "cam")).contains("#EXT-X-DISCONTINUITY-SEQUENCE:1\n");
    }

    @Test
    void theDashManifestDescribesTheSameSegmentsWithoutGaps() throws Exception {
        HlsStream s = stream(HlsMode.FMP4, new RecordingFormat(true));
        start(s);
        feed(s, SyntheticStream.coded(0, 9000, 60, true, true));

        PlaylistView v = s.view();
        String mpd = DashManifest.render(v, WALL_AT_ZERO + 9000, 600_000);
        assertThat(mpd).contains("type=\"dynamic\"", "availabilityStartTime=\"2026-09-21T14:13:20Z\"",
                "codecs=\"avc1.42c01e,mp4a.40.2\"", "width=\"640\" height=\"360\"",
                "initialization=\"init1.mp4\" media=\"$Number$.m4s\" startNumber=\"0\"",
                "<S t=\"0\" d=\"2000\"/>", "<S t=\"2000\" d=\"2000\"/>", "<S t=\"6000\" d=\"2000\"/>",
                "urn:mpeg:dash:utc:direct:2014");
    }
}
