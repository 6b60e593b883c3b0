package io.tributary.hls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.tributary.hls.playlist.DashManifest;
import io.tributary.hls.playlist.MediaPlaylist;
import io.tributary.hls.testing.FlvInput;
import io.tributary.hls.testing.Tool;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.flv.FlvFrames;
import io.tributary.media.stream.StreamEvent;
import io.tributary.media.stream.StreamSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real encoder's stream through the whole HLS path, with the real muxers: what HlsStream makes is
 * written out as the node would serve it (playlist, segments, parts, initialization segments, DASH
 * manifest) and real ffmpeg must decode every frame from the playlist, in every mode.
 */
class HlsStreamPlaybackTest {
    @TempDir
    static Path media;
    private static FlvInput input;
    private static final DefaultEventExecutor EXECUTOR = new DefaultEventExecutor();

    @BeforeAll
    static void encode() {
        input = FlvInput.generate(media);
    }

    @AfterAll
    static void release() {
        input.close();
        EXECUTOR.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @ParameterizedTest
    @EnumSource(HlsMode.class)
    void ffmpegDecodesEveryFrameFromThePlaylist(HlsMode mode, @TempDir Path dir) throws Exception {
        HlsSettings settings = new HlsSettings(mode, HlsSettings.DEFAULTS.segmentDuration(),
                HlsSettings.DEFAULTS.maxSegmentDuration(), HlsSettings.DEFAULTS.partDuration(), 100,
                HlsSettings.DEFAULTS.idleTimeout());
        HlsStream hls = new HlsStream(new StreamPath("live", "cam"), settings, EXECUTOR, 7000,
                System::currentTimeMillis);
        if (mode.fragmentedMp4()) {
            hls.wantDash();
        }
        EXECUTOR.submit(() -> {
            hls.onStart(new StreamSnapshot(true, true, true, null, config(true), config(false), List.of()));
            for (Frame f : interleaved()) {
                hls.onFrame(f);
            }
            hls.onEvent(StreamEvent.ENDED);
        }).get();

        PlaylistView v = hls.view();
        assertThat(v.ended()).isTrue();
        assertThat(v.segments()).hasSize(3).allSatisfy(s -> assertThat(s.independent()).isTrue());
        write(dir, v, mode);

        Tool.run(dir, "ffmpeg", "-v", "error", "-i", "cam.m3u8", "-f", "null", "-").assertClean();
        String counted = Tool.run(dir, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_name,width,height,nb_read_frames", "-of", "compact", "cam.m3u8").assertClean().stdout();
        assertThat(counted).contains("codec_name=h264|width=320|height=240|nb_read_frames=" + input.video().size())
                .contains("codec_name=aac");
        if (mode.fragmentedMp4()) {
            Files.writeString(dir.resolve("cam/manifest.mpd"), DashManifest.render(v, System.currentTimeMillis(),
                    300_000));
            // From the manifest's own directory: ffmpeg 5.1's DASH demuxer doubles a relative directory
            // when it resolves segment URIs of a local file (over HTTP the node serves, it resolves right).
            Path cam = dir.resolve("cam");
            Tool.run(cam, "ffmpeg", "-v", "error", "-i", "manifest.mpd", "-f", "null", "-").assertClean();
            String dash = Tool.run(cam, "ffprobe", "-v", "error", "-count_frames", "-show_entries",
                    "stream=codec_name,nb_read_frames", "-of", "compact", "manifest.mpd").assertClean().stdout();
            assertThat(dash).contains("codec_name=h264|nb_read_frames=" + input.video().size())
                    .contains("codec_name=aac");
        }
    }

    /** Both tracks in decode order, as the live stream would deliver them. */
    private static List<Frame> interleaved() {
        List<Frame> all = new ArrayList<>(input.video());
        all.addAll(input.audio());
        all.sort(Comparator.comparingLong(Frame::dts).thenComparing(f -> f.isVideo() ? 0 : 1));
        return all;
    }

    /** The sequence headers as the publisher sent them. */
    private static Frame config(boolean video) {
        return video ? FlvFrames.video(0, Unpooled.wrappedBuffer(input.videoConfigTag()))
                : FlvFrames.audio(0, Unpooled.wrappedBuffer(input.audioConfigTag()));
    }

    /** The files a player would fetch, at the URIs the playlist names. */
    private static void write(Path dir, PlaylistView v, HlsMode mode) throws IOException {
        Files.createDirectories(dir.resolve("cam"));
        Files.writeString(dir.resolve("cam.m3u8"), MediaPlaylist.render(v, "cam"));
        for (var init : v.initSegments().entrySet()) {
            Files.write(dir.resolve(MediaPlaylist.initUri("cam", init.getKey())), init.getValue().muxed());
            if (init.getValue().video() != null) {
                Files.write(dir.resolve("cam/vinit" + init.getKey() + ".mp4"), init.getValue().video());
                Files.write(dir.resolve("cam/ainit" + init.getKey() + ".mp4"), init.getValue().audio());
            }
        }
        for (Segment s : v.segments()) {
            Files.write(dir.resolve(MediaPlaylist.segmentUri("cam", mode, s.sequence())),
                    ByteBufUtil.getBytes(s.content()));
            if (s.hasTracks()) {
                Files.write(dir.resolve("cam/v" + s.sequence() + ".m4s"), ByteBufUtil.getBytes(s.track(true)));
                Files.write(dir.resolve("cam/a" + s.sequence() + ".m4s"), ByteBufUtil.getBytes(s.track(false)));
            }
        }
    }
}
