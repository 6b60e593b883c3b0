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
        return new HlsStream(new StreamPath("live", "cam"), HlsSettings.DEFAULTS.withMode(mode), executor, 0,
                wall::get, format);
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
    void aStreamThatHasAnnouncedVideoWaitsForItsFirstKeyframe() throws Exception {
        RecordingFormat format = new RecordingFormat(true);
        HlsStream s = stream(HlsMode.LLHLS, format);
        // The muxer joins when the stream has sent its configurations but no picture yet.
        executor.submit(() -> s.onStart(new StreamSnapshot(false, true, true, null, SyntheticStream.videoConfig(0),
                SyntheticStream.audioConfig(0), List.of()))).get();
        feed(s, SyntheticStream.coded(0, 1000, 0, false, true)); // audio only, for a second
        feed(s, SyntheticStream.coded(1000, 5100, 60, true, true)); // pictures; keyframes at 2 s and 4 s

        assertThat(format.videoConfigs).hasSize(1).doesNotContainNull();
        assertThat(s.view().segments()).extracting(Segment::startDts).containsExactly(2000L, 4000L);
        assertThat(format.chunks).allSatisfy(c -> assertThat(c.dts().get(0)).isGreaterThanOrEqualTo(2000));
    }

    @Test
    void aMuxerStartedBeforeThePublisherSentAnythingWaitsForTheVideoItsConfigurationAnnounces() throws Exception {
        RecordingFormat format = new RecordingFormat(false);
        HlsStream s = stream(HlsMode.TS, format);
        // hls.alwaysOn: the muxer starts with the publish, before any configuration; an encoder then sends both
        // configurations and, while its video encoder fills up, a second of audio before the first picture.
        executor.submit(() -> s.onStart(new StreamSnapshot(false, false, true, null, null, null, List.of()))).get();
        feed(s, List.of(SyntheticStream.videoConfig(0), SyntheticStream.audioConfig(0)));
        feed(s, SyntheticStream.coded(0, 1000, 0, false, true));
        feed(s, SyntheticStream.coded(1000, 5100, 60, true, true)); // keyframes at 2 s and 4 s

        assertThat(format.videoConfigs).as("never a muxer without video").hasSize(1).doesNotContainNull();
        assertThat(s.view().segments()).extracting(Segment::startDts).containsExactly(2000L, 4000L);
        assertThat(format.chunks).allSatisfy(c -> {
            assertThat(c.dts().get(0)).isGreaterThanOrEqualTo(2000);
            assertThat(c.video().get(0)).as("the first segment starts with the keyframe").isTrue();
        });
    }

    @Test
    void videoThatStartsAfterTheMuxerDidGetsItsOwnSegmentsFromItsFirstKeyframe() throws Exception {
        RecordingFormat format = new RecordingFormat(true);
        HlsStream s = stream(HlsMode.LLHLS, format);
        executor.submit(() -> s.onStart(new StreamSnapshot(false, true, true, null, null,
                SyntheticStream.audioConfig(0), List.of()))).get();
        feed(s, SyntheticStream.coded(0, 1000, 0, false, true)); // an audio-only stream, for now
        feed(s, List.of(SyntheticStream.videoConfig(1000)));
        feed(s, SyntheticStream.coded(1000, 500, 0, true, true)); // pictures, none of them a keyframe
        feed(s, SyntheticStream.coded(1500, 4600, 60, true, true)); // keyframes at 2 s and 4 s

        PlaylistView v = s.view();
        assertThat(format.videoConfigs).as("audio alone first, then both tracks").hasSize(2);
        assertThat(format.videoConfigs.get(0)).isNull();
        assertThat(format.videoConfigs.get(1)).isNotNull();
        assertThat(v.segments()).extracting(Segment::startDts).containsExactly(0L, 2000L, 4000L);
        assertThat(v.segments().get(1).discontinuity()).as("new tracks").isFalse();
        assertThat(v.segments().get(1).initGeneration()).isNotEqualTo(v.segments().get(0).initGeneration());
        assertThat(format.chunks).filteredOn(c -> c.video().contains(true))
                .allSatisfy(c -> assertThat(c.dts().get(0)).isGreaterThanOrEqualTo(2000));
        assertThat(v.segments().get(2).parts()).hasSize(6);
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
        long partTarget = HlsSettings.DEFAULTS.partTargetMillis();
        assertThat(v.segments()).hasSize(4).allSatisfy(seg -> {
            assertThat(seg.parts()).hasSize(6);
            assertThat(seg.parts()).allSatisfy(p -> assertThat(p.durationMillis()).isLessThanOrEqualTo(partTarget));
            assertThat(seg.parts().subList(0, seg.parts().size() - 1))
                    .allSatisfy(p -> assertThat(p.durationMillis()).as("ten frames at 30 fps").isBetween(333L, 334L));
            assertThat(seg.parts().stream().mapToLong(Part::durationMillis).sum()).isEqualTo(seg.durationMillis());
            assertThat(seg.parts().get(0).independent()).isTrue();
            assertThat(seg.parts().subList(1, seg.parts().size())).noneMatch(Part::independent);
            assertThat(seg.chunks()).hasSize(seg.parts().size());
        });
        assertThat(v.pendingParts()).isNotEmpty();

        String m3u8 = MediaPlaylist.render(v, "cam");
        assertThat(m3u8).contains("#EXT-X-VERSION:9\n", "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.005\n",
                "#EXT-X-PART-INF:PART-TARGET=0.335\n", "#EXT-X-MAP:URI=\"cam/init0.mp4\"\n",
                "#EXT-X-PART:DURATION=0.333,URI=\"cam/0.0.m4s\",INDEPENDENT=YES\n",
                "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"cam/4." + v.pendingParts().size() + ".m4s\"\n");

        // A protected stream: every URI carries the viewer's session, so that its requests are let through.
        String protectedM3u8 = MediaPlaylist.render(v, "cam", "hlsSession=1.abc");
        assertThat(protectedM3u8.lines().filter(l -> l.contains("cam/")))
                .hasSizeGreaterThan(20).allSatisfy(l -> assertThat(l).containsPattern("cam/[^\"]+\\?hlsSession=1\\.abc"));
        assertThat(protectedM3u8.replace("?hlsSession=1.abc", "")).isEqualTo(m3u8);
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
    void theDashManifestDescribesTheSegmentsWrittenTrackByTrackOnceAsked() throws Exception {
        HlsStream s = stream(HlsMode.FMP4, new RecordingFormat(true));
        start(s);
        feed(s, SyntheticStream.coded(0, 3000, 60, true, true));
        assertThat(s.view().dashReady()).isFalse();
        s.wantDash();
        feed(s, SyntheticStream.coded(3000, 6000, 60, true, true));

        PlaylistView v = s.view();
        assertThat(v.segments()).extracting(Segment::hasTracks).containsExactly(false, false, true, true);
        String mpd = DashManifest.render(v, WALL_AT_ZERO + 9000, 600_000);
        assertThat(mpd).contains("type=\"dynamic\"", "availabilityStartTime=\"2026-09-21T14:13:20Z\"",
                "contentType=\"video\"", "codecs=\"avc1.42c01e\"", "width=\"640\" height=\"360\"",
                "contentType=\"audio\"", "codecs=\"mp4a.40.2\"",
                "initialization=\"vinit0.mp4\" media=\"v$Number$.m4s\" startNumber=\"2\"",
                "initialization=\"ainit0.mp4\" media=\"a$Number$.m4s\" startNumber=\"2\"",
                "<S t=\"4000\" d=\"2000\"/>", "<S t=\"6000\" d=\"2000\"/>", "urn:mpeg:dash:utc:direct:2014")
                .doesNotContain("<S t=\"2000\"");
        assertThat(v.segment(2).track(true).readableBytes()).isEqualTo(1);
        assertThat(DashManifest.render(v, WALL_AT_ZERO + 9000, 600_000, "hlsSession=1.abc")).contains(
                "initialization=\"vinit0.mp4?hlsSession=1.abc\" media=\"v$Number$.m4s?hlsSession=1.abc\"",
                "<Location>manifest.mpd?hlsSession=1.abc</Location>\n  <Period");
        assertThat(mpd).doesNotContain("<Location>");
    }
}
