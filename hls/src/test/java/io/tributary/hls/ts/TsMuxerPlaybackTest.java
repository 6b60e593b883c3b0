package io.tributary.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.media.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Segments as real players' demuxers and decoders see them: ffprobe and ffmpeg 5.1 read what the muxer
 * wrote from an FLV of libx264 (with B-frames) and AAC, as an RTMP publisher would have sent it.
 */
class TsMuxerPlaybackTest {

    @TempDir
    static Path dir;
    private static FlvFile flv;

    @BeforeAll
    static void makeTheTestStream() throws IOException {
        flv = FlvFile.read(Ffmpeg.testStream(dir));
    }

    @Test
    void ffprobeFindsEveryFrameWhereTheStreamHadIt() throws IOException {
        write("whole.ts", TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames()));

        Ffmpeg.Run probe = Ffmpeg.run(dir, "ffprobe", "-v", "error", "-show_streams", "-show_packets", "-of",
                "compact", "whole.ts");

        assertThat(probe.stderr()).isEmpty();
        assertThat(probe.exitCode()).isZero();
        List<Map<String, String>> streams = Ffmpeg.rows(probe.stdout(), "stream");
        assertThat(streams).extracting(s -> s.get("codec_type") + " " + s.get("codec_name"))
                .containsExactly("video h264", "audio aac");
        assertThat(streams.get(0)).containsEntry("width", "320").containsEntry("height", "240");
        assertThat(streams.get(1)).containsEntry("sample_rate", "44100").containsEntry("channels", "1");

        List<Map<String, String>> packets = Ffmpeg.rows(probe.stdout(), "packet");
        List<Map<String, String>> video = packets.stream().filter(p -> p.get("codec_type").equals("video")).toList();
        List<Frame> pictures = flv.videoFrames();
        assertThat(video).hasSameSizeAs(pictures);
        for (int i = 0; i < pictures.size(); i++) {
            Frame f = pictures.get(i);
            Map<String, String> p = video.get(i);
            assertThat(Long.parseLong(p.get("pts"))).as("pts of %s", f).isCloseTo(f.pts() * 90, within(1L));
            assertThat(Long.parseLong(p.get("dts"))).as("dts of %s", f).isCloseTo(f.dts() * 90, within(1L));
            assertThat(p.get("flags").startsWith("K")).as("keyframe flag of %s", f).isEqualTo(f.isKeyframe());
        }

        List<Map<String, String>> audio = packets.stream().filter(p -> p.get("codec_type").equals("audio")).toList();
        List<Frame> sounds = flv.audioFrames();
        assertThat(audio).hasSameSizeAs(sounds);
        for (int i = 0; i < sounds.size(); i++) {
            // FLV rounds audio times to the millisecond; ffmpeg counts 1024 samples on from each PES's PTS.
            assertThat(Long.parseLong(audio.get(i).get("pts"))).as("pts of audio frame %d", i)
                    .isCloseTo(sounds.get(i).pts() * 90, within(90L));
        }
    }

    @Test
    void ffmpegDecodesEveryFrameWithoutAComplaint() throws IOException {
        write("whole.ts", TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames()));

        assertThat(decodedFrames("whole.ts")).containsExactly(flv.videoFrames().size(), flv.audioFrames().size());
    }

    @Test
    void keyframeAlignedSegmentsPlayAloneAndBackToBack() throws IOException {
        TsMuxer muxer = new TsMuxer(flv.video(), flv.audio());
        List<List<Frame>> cuts = TsSegments.cut(flv.frames(), 2000);
        List<String> names = new ArrayList<>();
        for (List<Frame> cut : cuts) {
            names.add("seg" + names.size() + ".ts");
            write(names.get(names.size() - 1), TsSegments.segment(muxer, cut));
        }

        assertThat(names).hasSize(3);
        for (int i = 0; i < cuts.size(); i++) {
            List<Frame> cut = cuts.get(i);
            assertThat(decodedFrames(names.get(i))).as("frames decoded from %s alone", names.get(i))
                    .containsExactly(count(cut, Frame::isVideo), count(cut, Frame::isAudio));
        }
        assertThat(decodedFrames("concat:" + String.join("|", names))).as("frames decoded from the segments joined")
                .containsExactly(flv.videoFrames().size(), flv.audioFrames().size());
    }

    record Tracks(String name, boolean video, boolean audio) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Tracks> singleTracks() {
        return Stream.of(new Tracks("video only", true, false), new Tracks("audio only", false, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("singleTracks")
    void aStreamWithOneTrackPlays(Tracks t) throws IOException {
        List<Frame> frames = t.video() ? flv.videoFrames() : flv.audioFrames();
        write("single.ts", TsSegments.segment(new TsMuxer(t.video() ? flv.video() : null,
                t.audio() ? flv.audio() : null), frames));

        Ffmpeg.Run probe = Ffmpeg.run(dir, "ffprobe", "-v", "error", "-show_streams", "-of", "compact", "single.ts");

        assertThat(probe.stderr()).isEmpty();
        assertThat(Ffmpeg.rows(probe.stdout(), "stream")).extracting(s -> s.get("codec_name"))
                .containsExactly(t.video() ? "h264" : "aac");
        assertThat(decodedFrames("single.ts")).containsExactly(frames.size());
    }

    @Test
    void aSegmentAcrossThe33BitClockWrapPlays() throws IOException {
        long shift = (1L << 33) / 90 - 3000; // the 90 kHz clock wraps 3 s in
        List<Frame> shifted = flv.frames().stream().map(f -> f.withDts(f.dts() + shift)).toList();
        write("wrap.ts", TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), shifted));

        assertThat(decodedFrames("wrap.ts")).containsExactly(flv.videoFrames().size(), flv.audioFrames().size());
    }

    /**
     * Decodes every stream of {@code input} with ffmpeg, failing on any error it reports; returns the frames
     * decoded per stream, in stream order.
     */
    private static List<Integer> decodedFrames(String input) {
        Ffmpeg.Run run = Ffmpeg.run(dir, "ffmpeg", "-nostdin", "-v", "error", "-i", input, "-map", "0",
                "-fps_mode", "passthrough", "-f", "framecrc", "-");
        assertThat(run.stderr()).as("what ffmpeg said decoding %s", input).isEmpty();
        assertThat(run.exitCode()).isZero();
        List<Integer> counts = new ArrayList<>();
        run.stdout().lines().filter(l -> !l.startsWith("#")).forEach(l -> {
            int stream = Integer.parseInt(l.substring(0, l.indexOf(',')).trim());
            while (counts.size() <= stream) {
                counts.add(0);
            }
            counts.set(stream, counts.get(stream) + 1);
        });
        return counts;
    }

    private static int count(List<Frame> frames, java.util.function.Predicate<Frame> which) {
        return (int) frames.stream().filter(which).count();
    }

    private static void write(String name, byte[] ts) throws IOException {
        Files.write(dir.resolve(name), ts);
    }
}
