package io.tributary.hls.fmp4;

import static io.tributary.hls.fmp4.Fmp4Fixtures.concat;
import static io.tributary.hls.fmp4.Fmp4Fixtures.cut;
import static io.tributary.hls.fmp4.Fmp4Fixtures.every;
import static io.tributary.hls.fmp4.Fmp4Fixtures.init;
import static io.tributary.hls.fmp4.Fmp4Fixtures.mux;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tributary.hls.fmp4.Fmp4Fixtures.Slice;
import io.tributary.hls.testing.FlvInput;
import io.tributary.hls.testing.Tool;
import io.tributary.media.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What real players make of the muxer's output: ffprobe and ffmpeg read an fMP4 file (init segment plus
 * fragments) and an HLS fMP4 playlist of segments built from LL-HLS-sized parts, and decode every frame.
 */
class Fmp4MuxerPlaybackTest {
    @TempDir
    static Path source;
    static FlvInput in;

    @TempDir
    Path dir;

    @BeforeAll
    static void encode() {
        in = FlvInput.generate(source);
    }

    @AfterAll
    static void release() {
        in.close();
    }

    @Test
    void oneSecondFragmentsPlayAsAnMp4File() throws IOException {
        Fmp4Muxer muxer = new Fmp4Muxer(in.avc(), in.aac());
        List<byte[]> fragments = mux(muxer, cut(in.video(), in.audio(), every(1000, in.video(), in.audio())), 1);
        Files.write(dir.resolve("out.mp4"), concat(init(muxer), fragments));

        Probe probe = Probe.of(dir, "out.mp4");

        assertThat(probe.streams).extracting(s -> s.get("codec_name")).containsExactly("h264", "aac");
        assertThat(probe.streams.get(0)).containsEntry("width", "320").containsEntry("height", "240");
        assertThat(probe.streams.get(1)).containsEntry("sample_rate", "44100").containsEntry("channels", "1");
        assertVideoAsFed(probe.packets("video"), in.video(), true);
        assertAudioAsFed(probe.packets("audio"), in.audio());
        assertThat(decodedFrames(dir, "out.mp4"))
                .isEqualTo(Map.of("video", in.video().size(), "audio", in.audio().size()));
    }

    @Test
    void segmentsOfLowLatencyPartsPlayAsAnHlsFmp4Playlist() throws IOException {
        Fmp4Muxer muxer = new Fmp4Muxer(in.avc(), in.aac());
        Files.write(dir.resolve("init.mp4"), init(muxer));
        List<Long> keyframes = in.video().stream().filter(Frame::isKeyframe).map(Frame::dts).toList();
        assertThat(keyframes).as("libx264 -g 50 at 25 fps").containsExactly(0L, 2000L, 4000L);
        StringBuilder playlist = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:2\n"
                + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"init.mp4\"\n");
        long sequence = 1;
        for (int s = 0; s < keyframes.size(); s++) {
            long start = keyframes.get(s);
            boolean last = s + 1 == keyframes.size();
            long end = last ? Long.MAX_VALUE : keyframes.get(s + 1);
            List<Long> partBounds = new ArrayList<>();
            for (int part = 0; part < 6; part++) {
                partBounds.add(start + part * 333L); // LL-HLS parts of about 0.33 s
            }
            partBounds.add(end);
            long length = (last ? in.audio().get(in.audio().size() - 1).dts() + 23 : end) - start;
            List<Slice> parts = cut(in.video(), in.audio(), partBounds);
            List<Slice> asCut = new ArrayList<>(); // as a segmenter passes them: both tracks end where it cut
            for (int i = 0; i < parts.size(); i++) {
                long to = partBounds.get(i + 1);
                Slice p = parts.get(i);
                asCut.add(to == Long.MAX_VALUE ? p : new Slice(p.video(), to, p.audio(), to));
            }
            List<byte[]> fragments = mux(muxer, asCut, sequence);
            sequence += fragments.size();
            Files.write(dir.resolve("seg" + s + ".m4s"), concat(new byte[0], fragments));
            playlist.append(String.format(Locale.ROOT, "#EXTINF:%.3f,\nseg%d.m4s\n", length / 1000.0, s));
        }
        playlist.append("#EXT-X-ENDLIST\n");
        Files.writeString(dir.resolve("playlist.m3u8"), playlist);

        assertThat(decodedFrames(dir, "playlist.m3u8"))
                .isEqualTo(Map.of("video", in.video().size(), "audio", in.audio().size()));
        Probe probe = Probe.of(dir, "playlist.m3u8");
        // a part cut between two pictures starts decoding a little early; every picture still shows at its pts
        assertVideoAsFed(probe.packets("video"), in.video(), false);
        assertAudioAsFed(probe.packets("audio"), in.audio());
    }

    @Test
    void videoOnlyPlays() throws IOException {
        Fmp4Muxer muxer = new Fmp4Muxer(in.avc(), null);
        List<byte[]> fragments = mux(muxer, cut(in.video(), List.of(), every(1000, in.video(), List.of())), 1);
        Files.write(dir.resolve("out.mp4"), concat(init(muxer), fragments));

        Probe probe = Probe.of(dir, "out.mp4");

        assertThat(probe.streams).extracting(s -> s.get("codec_name")).containsExactly("h264");
        assertVideoAsFed(probe.packets("video"), in.video(), true);
        assertThat(decodedFrames(dir, "out.mp4")).isEqualTo(Map.of("video", in.video().size()));
    }

    @Test
    void audioOnlyPlays() throws IOException {
        Fmp4Muxer muxer = new Fmp4Muxer(null, in.aac());
        List<byte[]> fragments = mux(muxer, cut(List.of(), in.audio(), every(1000, List.of(), in.audio())), 1);
        Files.write(dir.resolve("out.mp4"), concat(init(muxer), fragments));

        Probe probe = Probe.of(dir, "out.mp4");

        assertThat(probe.streams).extracting(s -> s.get("codec_name")).containsExactly("aac");
        assertAudioAsFed(probe.packets("audio"), in.audio());
        assertThat(decodedFrames(dir, "out.mp4")).isEqualTo(Map.of("audio", in.audio().size()));
    }

    private static void assertVideoAsFed(List<Map<String, String>> packets, List<Frame> video, boolean exactDts) {
        assertThat(packets).hasSameSizeAs(video);
        for (int i = 0; i < video.size(); i++) {
            Map<String, String> p = packets.get(i);
            assertThat(p.get("flags").startsWith("K")).as("keyframe flag of packet %d", i)
                    .isEqualTo(video.get(i).isKeyframe());
            assertThat(Long.parseLong(p.get("pts"))).as("pts (90 kHz) of packet %d", i)
                    .isCloseTo(video.get(i).pts() * 90, within(1L));
            if (exactDts) {
                assertThat(Long.parseLong(p.get("dts"))).as("dts (90 kHz) of packet %d", i)
                        .isCloseTo(video.get(i).dts() * 90, within(1L));
            }
        }
    }

    private static void assertAudioAsFed(List<Map<String, String>> packets, List<Frame> audio) {
        assertThat(packets).hasSameSizeAs(audio);
        // ffprobe leaves the first packet's duration out of fragmented files (ffmpeg's own included): span it
        Map<String, String> last = packets.get(packets.size() - 1);
        long span = Long.parseLong(last.get("pts")) + Long.parseLong(last.get("duration"))
                - Long.parseLong(packets.get(0).get("pts"));
        long fed = audio.get(audio.size() - 1).dts() - audio.get(0).dts() + 23;
        assertThat(span * 1000.0 / 44_100).as("audio duration (ms)").isCloseTo(fed, within(2.0));
        assertThat(Long.parseLong(packets.get(0).get("pts")) * 1000.0 / 44_100).as("first audio pts (ms)")
                .isCloseTo(audio.get(0).dts(), within(0.5));
    }

    /**
     * Decodes the input with ffmpeg, which must report no error, and counts the frames ffprobe decodes from it
     * per media type.
     */
    private static Map<String, Integer> decodedFrames(Path dir, String input) {
        Tool.run(dir, "ffmpeg", "-v", "error", "-i", input, "-f", "null", "-").assertClean();
        String out = Tool.run(dir, "ffprobe", "-v", "error", "-show_entries", "frame=media_type", "-of", "csv=p=0",
                input).assertClean().stdout();
        Map<String, Integer> counts = new TreeMap<>();
        out.lines().filter(l -> !l.isBlank()).forEach(l -> counts.merge(l.split(",")[0].strip(), 1, Integer::sum));
        return counts;
    }

    /** ffprobe's view of a file: its streams and packets, each a map of ffprobe's field names to values. */
    private record Probe(List<Map<String, String>> streams, List<Map<String, String>> packets) {
        static Probe of(Path dir, String file) {
            String out = Tool.run(dir, "ffprobe", "-v", "error", "-show_streams", "-show_packets",
                    "-of", "compact", file).assertClean().stdout();
            List<Map<String, String>> streams = new ArrayList<>();
            List<Map<String, String>> packets = new ArrayList<>();
            out.lines().forEach(line -> {
                int bar = line.indexOf('|');
                Map<String, String> fields = fields(line.substring(bar + 1));
                (line.startsWith("stream|") ? streams : packets).add(fields);
            });
            return new Probe(streams, packets);
        }

        List<Map<String, String>> packets(String codecType) {
            return packets.stream().filter(p -> codecType.equals(p.get("codec_type"))).toList();
        }

        private static Map<String, String> fields(String compact) {
            Map<String, String> fields = new LinkedHashMap<>();
            Arrays.stream(compact.split("\\|")).forEach(kv -> {
                int eq = kv.indexOf('=');
                fields.put(kv.substring(0, eq), kv.substring(eq + 1));
            });
            return fields;
        }
    }
}
