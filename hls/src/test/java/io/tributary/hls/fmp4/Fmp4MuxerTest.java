package io.tributary.hls.fmp4;

import static io.tributary.hls.fmp4.Fmp4Fixtures.ALLOC;
import static io.tributary.hls.fmp4.Fmp4Fixtures.concat;
import static io.tributary.hls.fmp4.Fmp4Fixtures.cut;
import static io.tributary.hls.fmp4.Fmp4Fixtures.every;
import static io.tributary.hls.fmp4.Fmp4Fixtures.init;
import static io.tributary.hls.fmp4.Fmp4Fixtures.mux;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.hls.fmp4.Mp4Reader.Box;
import io.tributary.hls.fmp4.Mp4Reader.Fragment;
import io.tributary.hls.fmp4.Mp4Reader.Sample;
import io.tributary.hls.fmp4.Mp4Reader.Traf;
import io.tributary.hls.testing.FlvInput;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.flv.FlvFrames;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boxes {@link Fmp4Muxer} writes for a real libx264 + AAC stream (read from an FLV that ffmpeg wrote),
 * read back with a reader of the tests' own: the init segment, and fragments whose numbers, decode times,
 * sample tables and data offsets are what a player would act on.
 */
class Fmp4MuxerTest {
    @TempDir
    static Path dir;
    static FlvInput in;

    @BeforeAll
    static void encode() {
        in = FlvInput.generate(dir);
    }

    @AfterAll
    static void release() {
        in.close();
    }

    @Test
    void initSegmentDescribesBothTracks() {
        byte[] init = init(new Fmp4Muxer(in.avc(), in.aac()));

        List<Box> top = Mp4Reader.boxes(init);
        assertThat(top).extracting(Box::type).containsExactly("ftyp", "moov");
        ByteBuffer ftyp = top.get(0).data();
        assertThat(Mp4Reader.fourCc(ftyp)).as("major brand").isEqualTo("iso6");
        ftyp.getInt();
        List<String> compatible = new ArrayList<>();
        while (ftyp.hasRemaining()) {
            compatible.add(Mp4Reader.fourCc(ftyp));
        }
        assertThat(compatible).containsExactly("iso6", "mp41", "dash", "avc1");

        Box moov = top.get(1);
        assertThat(moov.children()).extracting(Box::type).containsExactly("mvhd", "trak", "trak", "mvex");
        Box video = moov.all("trak").get(0);
        Box audio = moov.all("trak").get(1);

        ByteBuffer tkhd = video.child("tkhd").data();
        assertThat(tkhd.getInt() & 0xFFFFFF).as("tkhd flags: enabled, in movie").isEqualTo(3);
        tkhd.position(12);
        assertThat(tkhd.getInt()).as("video track id").isEqualTo(1);
        tkhd.position(tkhd.limit() - 8);
        assertThat(tkhd.getInt()).as("width 16.16").isEqualTo(320 << 16);
        assertThat(tkhd.getInt()).as("height 16.16").isEqualTo(240 << 16);
        assertThat(timescale(video)).isEqualTo(90_000);
        assertThat(handler(video)).isEqualTo("vide");
        assertThat(language(video)).isEqualTo("und");
        Box avc1 = video.path("mdia", "minf", "stbl", "stsd", "avc1");
        assertThat(avc1.data().getShort(24)).as("avc1 width").isEqualTo((short) 320);
        assertThat(avc1.data().getShort(26)).as("avc1 height").isEqualTo((short) 240);
        assertThat(payload(avc1.child("avcC"))).as("avcC").isEqualTo(in.avc().toRecord());
        assertThat(video.path("mdia", "minf").children()).extracting(Box::type)
                .containsExactly("vmhd", "dinf", "stbl");
        assertThat(video.path("mdia", "minf", "stbl").children()).extracting(Box::type)
                .containsExactly("stsd", "stts", "stsc", "stsz", "stco");

        ByteBuffer audioTkhd = audio.child("tkhd").data();
        assertThat(audioTkhd.getInt(12)).as("audio track id").isEqualTo(2);
        assertThat(timescale(audio)).isEqualTo(44_100);
        assertThat(handler(audio)).isEqualTo("soun");
        Box mp4a = audio.path("mdia", "minf", "stbl", "stsd", "mp4a");
        assertThat(mp4a.data().getShort(16)).as("channels (lavfi's sine is mono)").isEqualTo((short) 1);
        assertThat(mp4a.data().getInt(24)).as("sample rate 16.16").isEqualTo(44_100 << 16);
        assertThat(AacConfig.parse(Unpooled.wrappedBuffer(audioSpecificConfig(mp4a.child("esds")))))
                .isEqualTo(new AacConfig(2, 4, 44_100, 1, 1));

        assertThat(moov.child("mvex").children()).extracting(Box::type).containsExactly("trex", "trex");
        assertThat(moov.child("mvex").all("trex")).extracting(t -> t.data().getInt(4)).containsExactly(1, 2);
    }

    @Test
    void fragmentsCarryEveryFrameWithContiguousDecodeTimes() {
        Fmp4Muxer muxer = new Fmp4Muxer(in.avc(), in.aac());
        List<byte[]> written = mux(muxer, cut(in.video(), in.audio(), every(1000, in.video(), in.audio())), 7);
        byte[] file = concat(init(muxer), written);

        List<Fragment> fragments = Mp4Reader.fragments(file);
        assertThat(fragments).as("six seconds of video, and audio running 71 ms past it")
                .extracting(Fragment::sequenceNumber).containsExactly(7L, 8L, 9L, 10L, 11L, 12L, 13L);
        assertThat(fragments.get(6).trafs()).extracting(Traf::trackId).containsExactly(2);
        assertTrack(fragments, 1, in.video(), 90);
        assertTrack(fragments, 2, in.audio(), 0);
        for (Fragment f : fragments.subList(0, 6)) {
            Traf video = f.track(1);
            Traf audio = f.track(2);
            assertThat(video.firstSampleAt()).as("video data starts the mdat").isEqualTo(f.mdat().payload());
            int videoBytes = video.samples().stream().mapToInt(Sample::size).sum();
            int audioBytes = audio.samples().stream().mapToInt(Sample::size).sum();
            assertThat(audio.firstSampleAt()).as("audio data follows it").isEqualTo(f.mdat().payload() + videoBytes);
            assertThat(f.mdat().size()).isEqualTo(8 + videoBytes + audioBytes);
            assertThat(video.trunVersion()).isEqualTo(1);
        }
    }

    @Test
    void aFragmentHoldsTheFramesWithoutCopyingThemUntilReleased() {
        Fmp4Muxer muxer = new Fmp4Muxer(in.avc(), in.aac());
        List<Frame> video = in.video().subList(0, 25);
        List<Frame> audio = in.audio().subList(0, 43);

        ByteBuf fragment = muxer.fragment(ALLOC, 1, video, video.get(24).dts() + 40, audio, 1000);

        assertThat(video).allSatisfy(f -> assertThat(f.refCnt()).isEqualTo(2));
        assertThat(audio).allSatisfy(f -> assertThat(f.refCnt()).isEqualTo(2));
        fragment.release();
        assertThat(video).allSatisfy(f -> assertThat(f.refCnt()).isEqualTo(1));
        assertThat(audio).allSatisfy(f -> assertThat(f.refCnt()).isEqualTo(1));
    }

    @Test
    void tracksWithoutSamplesHaveNoTraf() {
        Fmp4Muxer muxer = new Fmp4Muxer(in.avc(), in.aac());
        List<Frame> audio = in.audio().subList(0, 10);

        byte[] fragment = Fmp4Fixtures.bytes(muxer.fragment(ALLOC, 1, List.of(), 0, audio, in.audio().get(10).dts()));

        Fragment f = Mp4Reader.fragments(fragment).get(0);
        assertThat(f.trafs()).extracting(Traf::trackId).containsExactly(2);
        assertThat(f.track(2).firstSampleAt()).isEqualTo(f.mdat().payload());
    }

    @Test
    void singleTrackStreamsAreCmafTrackFiles() {
        byte[] videoOnly = init(new Fmp4Muxer(in.avc(), null));
        byte[] audioOnly = init(new Fmp4Muxer(null, in.aac()));

        assertThat(brands(videoOnly)).containsExactly("iso6", "mp41", "dash", "cmfc", "avc1");
        assertThat(Mp4Reader.boxes(videoOnly).get(1).all("trak")).hasSize(1);
        assertThat(brands(audioOnly)).containsExactly("iso6", "mp41", "dash", "cmfc");
        Box audioTrak = Mp4Reader.boxes(audioOnly).get(1).child("trak");
        assertThat(audioTrak.child("tkhd").data().getInt(12)).as("audio keeps track id 2").isEqualTo(2);
    }

    @Test
    void codecsNameTheTracksForPlaylists() {
        assertThat(new Fmp4Muxer(in.avc(), in.aac()).codecs()).isEqualTo("avc1.64000D,mp4a.40.2");
        assertThat(new Fmp4Muxer(in.avc(), null).codecs()).isEqualTo("avc1.64000D");
        assertThat(new Fmp4Muxer(null, in.aac()).codecs()).isEqualTo("mp4a.40.2");
    }

    record AscCase(String name, AacConfig config) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<AscCase> audioConfigs() {
        return Stream.of(
                new AscCase("LC 44.1 kHz stereo", new AacConfig(2, 4, 44_100, 2, 2)),
                new AscCase("LC 48 kHz mono", new AacConfig(2, 3, 48_000, 1, 1)),
                new AscCase("Main 32 kHz 5.1", new AacConfig(1, 5, 32_000, 6, 6)),
                new AscCase("LC 8 channels (configuration 7)", new AacConfig(2, 3, 48_000, 7, 8)),
                new AscCase("LC at an explicit 44 kHz", new AacConfig(2, 15, 44_000, 2, 2)),
                new AscCase("HE-AAC v1: 24 kHz core, 48 kHz out", new AacConfig(2, 6, 24_000, 2, 2, 5, 48_000)),
                new AscCase("HE-AAC v2: mono core, parametric stereo", new AacConfig(2, 7, 22_050, 1, 1, 29, 44_100)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audioConfigs")
    void esdsCarriesTheAudioSpecificConfig(AscCase c) {
        byte[] init = init(new Fmp4Muxer(null, c.config()));

        Box audio = Mp4Reader.boxes(init).get(1).child("trak");
        Box mp4a = audio.path("mdia", "minf", "stbl", "stsd", "mp4a");
        byte[] asc = audioSpecificConfig(mp4a.child("esds"));
        assertThat(AacConfig.parse(Unpooled.wrappedBuffer(asc))).isEqualTo(c.config());
        assertThat(timescale(audio)).isEqualTo(c.config().sampleRate());
        assertThat(mp4a.data().getShort(16)).as("channels").isEqualTo((short) c.config().outputChannels());
    }

    @Test
    void refusesWhatItCannotDescribe() {
        AacConfig withProgramConfigElement = new AacConfig(2, 3, 48_000, 0, 4);
        assertThatThrownBy(() -> new Fmp4Muxer(null, withProgramConfigElement))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channelConfiguration 0");
        assertThatThrownBy(() -> new Fmp4Muxer(null, new AacConfig(42, 3, 48_000, 2, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("audio object type 42");
        assertThatThrownBy(() -> new Fmp4Muxer(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesFramesItHasNoTrackFor() {
        Fmp4Muxer audioOnly = new Fmp4Muxer(null, in.aac());
        Fmp4Muxer both = new Fmp4Muxer(in.avc(), in.aac());
        Frame config = FlvFrames.audio(0, Unpooled.wrappedBuffer(new byte[] {(byte) 0xAF, 0, 0x12, 0x10}));

        assertThatThrownBy(() -> audioOnly.fragment(ALLOC, 1, in.video().subList(0, 1), 40, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("without a video track");
        assertThatThrownBy(() -> both.fragment(ALLOC, 1, List.of(), 0, List.of(config), 23))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected coded aac");
        assertThatThrownBy(() -> both.fragment(ALLOC, 1, in.audio().subList(0, 1), 23, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected coded h264");
        assertThatThrownBy(() -> both.fragment(ALLOC, 1, List.of(), 0, List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one sample");
        assertThatThrownBy(() -> both.fragment(ALLOC, 1L << 32, List.of(), 0, in.audio().subList(0, 1), 23))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence number");
        config.release();
    }

    /**
     * Every frame is a sample of its track, in order, with its size and bytes; decode times run on without a
     * gap from fragment to fragment; sync flags are set exactly on keyframes; and when {@code ticksPerMs} is
     * exact (video) every sample decodes and presents at its frame's dts and pts.
     */
    private static void assertTrack(List<Fragment> fragments, int trackId, List<Frame> frames, int ticksPerMs) {
        List<Sample> samples = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        long decodeTime = -1;
        List<Long> decodeTimes = new ArrayList<>();
        for (Fragment f : fragments) {
            Traf traf = f.track(trackId);
            if (traf == null) {
                continue;
            }
            if (decodeTime >= 0) {
                assertThat(traf.baseDecodeTime()).as("tfdt of fragment %d", f.sequenceNumber()).isEqualTo(decodeTime);
            }
            decodeTime = traf.baseDecodeTime();
            int at = traf.firstSampleAt();
            for (Sample s : traf.samples()) {
                samples.add(s);
                positions.add(at);
                decodeTimes.add(decodeTime);
                at += s.size();
                decodeTime += s.duration();
            }
        }
        assertThat(samples).as("samples of track %d", trackId).hasSize(frames.size());
        byte[] file = fragments.get(0).moof().file();
        for (int i = 0; i < frames.size(); i++) {
            Frame frame = frames.get(i);
            Sample sample = samples.get(i);
            byte[] data = ByteBufUtil.getBytes(frame.data());
            assertThat(sample.size()).as("size of sample %d", i).isEqualTo(data.length);
            assertThat(Arrays.copyOfRange(file, positions.get(i), positions.get(i) + data.length))
                    .as("bytes of sample %d", i).isEqualTo(data);
            assertThat(sample.sync()).as("sync flag of sample %d", i).isEqualTo(frame.isKeyframe() || trackId == 2);
            assertThat(sample.dependsOn()).as("depends_on of sample %d", i)
                    .isEqualTo(frame.isKeyframe() || trackId == 2 ? 2 : 1);
            if (ticksPerMs > 0) {
                assertThat(decodeTimes.get(i)).as("decode time of sample %d", i).isEqualTo(frame.dts() * ticksPerMs);
                assertThat(decodeTimes.get(i) + sample.compositionOffset()).as("presentation time of sample %d", i)
                        .isEqualTo(frame.pts() * ticksPerMs);
            }
        }
    }

    private static List<String> brands(byte[] init) {
        ByteBuffer ftyp = Mp4Reader.boxes(init).get(0).data();
        ftyp.position(8);
        List<String> brands = new ArrayList<>();
        while (ftyp.hasRemaining()) {
            brands.add(Mp4Reader.fourCc(ftyp));
        }
        return brands;
    }

    private static int timescale(Box trak) {
        return trak.path("mdia", "mdhd").data().getInt(12);
    }

    private static String handler(Box trak) {
        ByteBuffer hdlr = trak.path("mdia", "hdlr").data();
        hdlr.position(8);
        return Mp4Reader.fourCc(hdlr);
    }

    private static String language(Box trak) {
        int packed = trak.path("mdia", "mdhd").data().getShort(20);
        return "" + (char) ((packed >> 10 & 0x1F) + 0x60) + (char) ((packed >> 5 & 0x1F) + 0x60)
                + (char) ((packed & 0x1F) + 0x60);
    }

    private static byte[] payload(Box box) {
        return Arrays.copyOfRange(box.file(), box.payload(), box.end());
    }

    /** Walks ES_Descriptor → DecoderConfigDescriptor → DecoderSpecificInfo. */
    private static byte[] audioSpecificConfig(Box esds) {
        ByteBuffer d = esds.data();
        d.getInt(); // version, flags
        assertThat(d.get()).as("ES_Descriptor tag").isEqualTo((byte) 3);
        descriptorLength(d);
        d.getShort(); // ES_ID
        d.get(); // flags
        assertThat(d.get()).as("DecoderConfigDescriptor tag").isEqualTo((byte) 4);
        descriptorLength(d);
        assertThat(d.get()).as("objectTypeIndication: MPEG-4 audio").isEqualTo((byte) 0x40);
        assertThat(d.get() >> 2).as("streamType: audio").isEqualTo(5);
        d.position(d.position() + 11);
        assertThat(d.get()).as("DecoderSpecificInfo tag").isEqualTo((byte) 5);
        byte[] asc = new byte[descriptorLength(d)];
        d.get(asc);
        assertThat(d.get()).as("SLConfigDescriptor tag").isEqualTo((byte) 6);
        return asc;
    }

    private static int descriptorLength(ByteBuffer d) {
        int length = 0;
        int b;
        do {
            b = d.get() & 0xFF;
            length = length << 7 | b & 0x7F;
        } while ((b & 0x80) != 0);
        return length;
    }
}
