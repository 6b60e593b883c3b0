package io.tributary.hls.ts;

import static io.tributary.hls.ts.TsSegments.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.hls.ts.TsDemux.Packet;
import io.tributary.hls.ts.TsDemux.Pes;
import io.tributary.media.Frame;
import io.tributary.media.flv.FlvFrames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a demuxer finds in the muxer's output, packet by packet, for the stream an RTMP publisher sends:
 * ffmpeg's libx264 (with B-frames) and AAC, read from an FLV file. Pictures and sound in detail:
 * {@link TsMuxerVideoTest}, {@link TsMuxerAudioTest}.
 */
class TsMuxerTest {
    private static final long CLOCK_WRAP = 1L << 33;

    @TempDir
    static Path dir;
    private static FlvFile flv;

    @BeforeAll
    static void makeTheTestStream() throws IOException {
        flv = FlvFile.read(Ffmpeg.testStream(dir));
    }

    @Test
    void everyPacketIs188BytesLongAndStartsWithTheSyncByte() {
        byte[] ts = TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames());

        assertThat(ts.length % 188).isZero();
        for (int i = 0; i < ts.length; i += 188) {
            assertThat(ts[i]).as("byte %d", i).isEqualTo((byte) 0x47);
        }
    }

    record Tables(String name, boolean video, boolean audio, String pmt, int pcrPid, Map<Integer, Integer> streams) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The packets ffmpeg 5.1's mpegts muxer writes for the same streams on the same PIDs. */
    static Stream<Tables> tables() {
        return Stream.of(
            new Tables("H.264 and AAC", true, true, "475000100002b0170001c10000e100f0001be100f0000fe101f0002f44b99b",
                0x100, Map.of(0x100, 0x1B, 0x101, 0x0F)),
            new Tables("H.264 alone", true, false, "475000100002b0120001c10000e100f0001be100f00015bd4d56",
                0x100, Map.of(0x100, 0x1B)),
            new Tables("AAC alone: the PCR goes on the audio PID", false, true,
                "475000100002b0120001c10000e101f0000fe101f000ece2b094", 0x101, Map.of(0x101, 0x0F)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tables")
    void writesThePatAndPmtAPlayerNeedsToFindTheStreams(Tables t) {
        TsMuxer muxer = new TsMuxer(t.video() ? flv.video() : null, t.audio() ? flv.audio() : null);
        ByteBuf out = Unpooled.buffer();

        muxer.writeTables(out);

        assertThat(ByteBufUtil.hexDump(out)).isEqualTo(
                padded("474000100000b00d0001c100000001f0002ab104b2") + padded(t.pmt()));
        TsDemux ts = TsDemux.of(ByteBufUtil.getBytes(out));
        TsDemux.Section pat = ts.sections(0).get(0);
        TsDemux.Section pmt = ts.sections(TsMuxer.PMT_PID).get(0);
        assertThat(pat.crcVerifies()).as("PAT CRC").isTrue();
        assertThat(pmt.crcVerifies()).as("PMT CRC").isTrue();
        assertThat(TsDemux.pmtPid(pat)).isEqualTo(TsMuxer.PMT_PID);
        assertThat(TsDemux.pcrPid(pmt)).isEqualTo(t.pcrPid());
        assertThat(TsDemux.streams(pmt)).isEqualTo(t.streams());
    }

    @Test
    void continuityCountersRunOnFromSegmentToSegment() {
        TsMuxer muxer = new TsMuxer(flv.video(), flv.audio());
        List<List<Frame>> cuts = TsSegments.cut(flv.frames(), 2000);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Integer> segmentStarts = new ArrayList<>();

        for (List<Frame> cut : cuts) {
            segmentStarts.add(all.size() / 188);
            all.writeBytes(TsSegments.segment(muxer, cut));
        }

        assertThat(cuts).hasSize(3);
        List<Packet> packets = TsDemux.of(all.toByteArray()).packets();
        Map<Integer, Integer> last = new HashMap<>();
        for (Packet p : packets) {
            assertThat(p.hasPayload()).isTrue();
            Integer previous = last.put(p.pid(), p.continuity());
            if (previous != null) {
                assertThat(p.continuity()).as("continuity_counter of packet %d (PID 0x%x)", p.index(), p.pid())
                        .isEqualTo((previous + 1) % 16);
            }
        }
        assertThat(segmentStarts).allSatisfy(i -> assertThat(packets.get(i).pid()).as("segment starts with the PAT")
                .isZero());
        assertThat(packets.get(segmentStarts.get(1)).continuity()).as("the second PAT's counter").isEqualTo(1);
        assertThat(last).containsOnlyKeys(0, TsMuxer.PMT_PID, TsMuxer.VIDEO_PID, TsMuxer.AUDIO_PID);
    }

    @Test
    void everyVideoPesCarriesAPcrAtMost100msBeforeItsDts() {
        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames()));

        List<Pes> video = ts.pes(TsMuxer.VIDEO_PID);
        List<Frame> frames = flv.videoFrames();
        assertThat(video).hasSameSizeAs(frames);
        long previous = 0;
        for (int i = 0; i < video.size(); i++) {
            Pes pes = video.get(i);
            assertThat(pes.pcr()).as("PCR of picture %d", i).isBetween(previous, pes.decodeTime());
            assertThat(pes.decodeTime() - pes.pcr()).as("PCR delay").isLessThanOrEqualTo(TsMuxer.PCR_DELAY_90K);
            assertThat(pes.randomAccess()).as("random_access_indicator of picture %d", i)
                    .isEqualTo(frames.get(i).isKeyframe());
            previous = pes.pcr();
        }
        assertThat(ts.packets()).filteredOn(p -> p.pcr() >= 0).allMatch(p -> p.pid() == TsMuxer.VIDEO_PID);
        assertThat(frames).filteredOn(Frame::isKeyframe).hasSize(3);
    }

    @Test
    void ptsAndDtsAreTheFramesTimesOnThe90kHzClock() {
        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames()));

        List<Pes> video = ts.pes(TsMuxer.VIDEO_PID);
        List<Frame> frames = flv.videoFrames();
        assertThat(IntStream.range(1, frames.size())).as("B-frames: pictures shown before earlier-decoded ones")
                .anyMatch(i -> frames.get(i).pts() < frames.get(i - 1).pts());
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            assertThat(video.get(i).pts()).as("PTS of %s", f).isEqualTo(f.pts() * 90);
            assertThat(video.get(i).dts()).as("DTS of %s, only when it differs", f)
                    .isEqualTo(f.cts() == 0 ? -1 : f.dts() * 90);
            assertThat(video.get(i).streamId()).isEqualTo(0xE0);
            assertThat(video.get(i).dataAligned()).isTrue();
            assertThat(video.get(i).declaredLength()).isIn(0, video.get(i).actualLength());
        }
    }

    @Test
    void timestampsWrapAt33BitsAsTheClockDoes() {
        long shift = CLOCK_WRAP / 90 - 3000; // the clock wraps 3 s into the stream
        List<Frame> shifted = flv.frames().stream().map(f -> f.withDts(f.dts() + shift)).toList();

        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), shifted));

        List<Pes> video = ts.pes(TsMuxer.VIDEO_PID);
        List<Frame> frames = shifted.stream().filter(Frame::isVideo).toList();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            Pes pes = video.get(i);
            assertThat(pes.pts()).as("PTS of %s", f).isEqualTo(f.pts() * 90 % CLOCK_WRAP);
            assertThat(pes.decodeTime()).as("DTS of %s", f).isEqualTo(f.dts() * 90 % CLOCK_WRAP);
            assertThat(Math.floorMod(pes.decodeTime() - pes.pcr(), CLOCK_WRAP)).as("PCR delay across the wrap")
                    .isBetween(0L, TsMuxer.PCR_DELAY_90K);
        }
        assertThat(video).extracting(Pes::pts).anyMatch(pts -> pts > CLOCK_WRAP - 90_000)
                .anyMatch(pts -> pts < 90_000);
        List<Pes> audio = ts.pes(TsMuxer.AUDIO_PID);
        assertThat(audio).extracting(Pes::pts).allMatch(pts -> pts < CLOCK_WRAP)
                .anyMatch(pts -> pts < 90_000);
    }

    record Refusal(String name, boolean video, boolean audio, Function<FlvFile, Frame> frame,
                   Class<? extends Exception> error, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Refusal> refusals() {
        return Stream.of(
            new Refusal("a sequence header", true, true, f -> FlvFrames.video(0, bytes("1700000000" + hex(
                f.video().toRecord()))), IllegalArgumentException.class, "only coded frames"),
            new Refusal("HEVC", true, true, f -> FlvFrames.video(0, bytes("1C01000000 00000003 2601AF")),
                IllegalArgumentException.class, "not hevc"),
            new Refusal("MP3", true, true, f -> FlvFrames.audio(0, bytes("2FFFFB9064")),
                IllegalArgumentException.class, "not mp3"),
            new Refusal("video into an audio-only stream", false, true, f -> f.videoFrames().get(0),
                IllegalStateException.class, "created without video"),
            new Refusal("audio into a video-only stream", true, false, f -> f.audioFrames().get(0),
                IllegalStateException.class, "created without audio"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesFramesItCannotCarry(Refusal c) {
        TsMuxer muxer = new TsMuxer(c.video() ? flv.video() : null, c.audio() ? flv.audio() : null);
        ByteBuf out = Unpooled.buffer();

        assertThatThrownBy(() -> muxer.write(c.frame().apply(flv), out)).isInstanceOf(c.error())
                .hasMessageContaining(c.message());
        assertThat(out.readableBytes()).isZero();
    }

    @Test
    void refusesAStreamWithNeitherVideoNorAudio() {
        assertThatThrownBy(() -> new TsMuxer(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aVideoOnlyStreamHasOnePesPerPicture() {
        List<Frame> frames = flv.videoFrames();

        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(flv.video(), null), frames));

        assertThat(ts.pes(TsMuxer.VIDEO_PID)).hasSameSizeAs(frames).allMatch(pes -> pes.pcr() >= 0);
        assertThat(ts.packets()).extracting(Packet::pid).containsOnly(0, TsMuxer.PMT_PID, TsMuxer.VIDEO_PID);
    }

    @Test
    void theSegmentIsLittleLargerThanTheMediaItCarries() {
        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames()));

        double video = overhead(ts, TsMuxer.VIDEO_PID, flv.videoFrames());
        double audio = overhead(ts, TsMuxer.AUDIO_PID, flv.audioFrames());

        // This stream is small (about 280 kb/s of video, 70 kb/s of audio), so the fixed costs per PES weigh
        // a lot: ffmpeg's own mpegts muxer spends 1.110 on its video and 1.084 on its audio. Audio waits
        // across pictures until its PES holds 100 ms; one frame per PES would cost 1.9.
        assertThat(video).as("video bytes on the wire per byte of H.264").isLessThan(1.12);
        assertThat(audio).as("audio bytes on the wire per byte of AAC").isLessThan(1.2);
    }

    private static double overhead(TsDemux ts, int pid, List<Frame> frames) {
        long payload = frames.stream().mapToLong(f -> f.data().readableBytes()).sum();
        return ts.packets(pid).size() * 188.0 / payload;
    }

    private static ByteBuf bytes(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
    }

    private static String padded(String packetHex) {
        return packetHex + "ff".repeat(188 - packetHex.length() / 2);
    }
}
