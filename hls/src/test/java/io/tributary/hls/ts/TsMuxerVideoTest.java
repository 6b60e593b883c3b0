package io.tributary.hls.ts;

import static io.tributary.hls.ts.TsSegments.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.hls.ts.TsDemux.Pes;
import io.tributary.media.Frame;
import io.tributary.media.codec.AvcConfig;
import io.tributary.media.flv.FlvFrames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The H.264 access units in the video PES: what a decoder gets for each picture a publisher sent. */
class TsMuxerVideoTest {
    private static final String AUD = "09f0";

    @TempDir
    static Path dir;
    private static FlvFile flv;

    @BeforeAll
    static void makeTheTestStream() throws IOException {
        flv = FlvFile.read(Ffmpeg.testStream(dir));
    }

    @Test
    void everyPictureStartsWithADelimiterAndKeyframesBringTheirParameterSets() {
        TsDemux ts = TsDemux.of(TsSegments.segment(new TsMuxer(flv.video(), flv.audio()), flv.frames()));

        List<Pes> video = ts.pes(TsMuxer.VIDEO_PID);
        List<Frame> frames = flv.videoFrames();
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            List<String> expected = new ArrayList<>(List.of(AUD));
            if (f.isKeyframe()) {
                flv.video().sps().forEach(nal -> expected.add(hex(nal)));
                flv.video().pps().forEach(nal -> expected.add(hex(nal)));
            }
            TsSegments.nalUnits(f, flv.video().nalLengthSize()).forEach(nal -> expected.add(hex(nal)));
            assertThat(hex(TsSegments.nalUnits(video.get(i).data()))).as("NAL units of %s", f)
                    .containsExactlyElementsOf(expected);
        }
        assertThat(frames.get(0).isKeyframe()).isTrue();
        assertThat(hex(TsSegments.nalUnits(video.get(0).data()))).extracting(n -> n.substring(0, 2))
                .as("a keyframe: delimiter, SPS, PPS, ..., IDR slice").startsWith("09", "67", "68").endsWith("65");
    }

    record Picture(String name, boolean keyframe, List<String> nals, List<String> expected, boolean randomAccess) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Picture> pictures() {
        String sps = "SPS";
        String pps = "PPS";
        String p = "419a2a11";
        String idr = "6588840021";
        String sei = "0605011180";
        String ownAud = "0930";
        String ownSps = "6742c01e";
        String ownPps = "68ce3c80";
        return Stream.of(
            new Picture("inter picture", false, List.of(p), List.of(AUD, p), false),
            new Picture("keyframe", true, List.of(idr), List.of(AUD, sps, pps, idr), true),
            new Picture("keyframe with an SEI", true, List.of(sei, idr), List.of(AUD, sps, pps, sei, idr), true),
            new Picture("picture with its own delimiter", false, List.of(ownAud, p), List.of(ownAud, p), false),
            new Picture("keyframe with its own delimiter: parameter sets go after it", true, List.of(ownAud, idr),
                List.of(ownAud, sps, pps, idr), true),
            new Picture("keyframe carrying its own parameter sets", true, List.of(ownSps, ownPps, idr),
                List.of(AUD, ownSps, ownPps, idr), true),
            new Picture("IDR slice in a picture not flagged as a keyframe", false, List.of(idr),
                List.of(AUD, sps, pps, idr), true),
            new Picture("empty NAL units are dropped", false, List.of("", p, ""), List.of(AUD, p), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pictures")
    void addsWhatAPictureLacksToBeAnAccessUnit(Picture c) {
        AvcConfig config = flv.video();
        TsMuxer muxer = new TsMuxer(config, null);
        ByteBuf out = Unpooled.buffer();

        muxer.write(picture(c.keyframe(), 1000, 4, c.nals()), out);

        Pes pes = TsDemux.of(ByteBufUtil.getBytes(out)).pes(TsMuxer.VIDEO_PID).get(0);
        List<String> expected = new ArrayList<>();
        for (String nal : c.expected()) {
            switch (nal) {
                case "SPS" -> config.sps().forEach(s -> expected.add(hex(s)));
                case "PPS" -> config.pps().forEach(s -> expected.add(hex(s)));
                default -> expected.add(nal);
            }
        }
        assertThat(hex(TsSegments.nalUnits(pes.data()))).containsExactlyElementsOf(expected);
        assertThat(pes.randomAccess()).as("random_access_indicator").isEqualTo(c.randomAccess());
        assertThat(pes.declaredLength()).isEqualTo(pes.actualLength());
    }

    @ParameterizedTest(name = "{0}-byte NAL lengths")
    @ValueSource(ints = {1, 2, 4})
    void readsEveryNalLengthSizeAvccAllows(int lengthSize) {
        AvcConfig c = flv.video();
        AvcConfig config = new AvcConfig(c.profile(), c.compatibility(), c.level(), lengthSize, c.sps(), c.pps(),
                c.firstSps());
        TsMuxer muxer = new TsMuxer(config, null);
        ByteBuf out = Unpooled.buffer();
        String big = "41" + "ab".repeat(200);

        muxer.write(picture(false, 0, lengthSize, List.of("419a2a11", big, "0102")), out);

        Pes pes = TsDemux.of(ByteBufUtil.getBytes(out)).pes(TsMuxer.VIDEO_PID).get(0);
        assertThat(hex(TsSegments.nalUnits(pes.data()))).containsExactly(AUD, "419a2a11", big, "0102");
    }

    record Malformed(String name, String body) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Malformed> malformedPictures() {
        return Stream.of(
            new Malformed("a NAL unit longer than the frame", "27 01 000000 00000005 419A2A11"),
            new Malformed("a negative 32-bit length", "27 01 000000 80000001 41"),
            new Malformed("bytes too few for another length", "27 01 000000 00000002 419A 0000"),
            new Malformed("no NAL unit at all", "27 01 000000"),
            new Malformed("only empty NAL units", "27 01 000000 00000000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPictures")
    void refusesAMalformedPictureWithoutWritingAnyOfIt(Malformed c) {
        TsMuxer muxer = new TsMuxer(flv.video(), flv.audio());
        ByteBuf out = Unpooled.buffer();
        muxer.write(flv.audioFrames().get(0), out);
        Frame frame = FlvFrames.video(100, Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(c.body().replace(" ",
                ""))));

        assertThatThrownBy(() -> muxer.write(frame, out)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H.264 frame at dts 100");
        assertThat(out.readableBytes()).as("bytes written").isZero();

        muxer.flush(out);
        assertThat(TsDemux.of(ByteBufUtil.getBytes(out)).pes(TsMuxer.AUDIO_PID)).as("the audio held before").hasSize(1);
    }

    @Test
    void aNewVideoConfigurationIsUsedFromTheNextKeyframe() {
        AvcConfig old = flv.video();
        byte[] newSps = Arrays.copyOf(old.sps().get(0), old.sps().get(0).length + 1);
        AvcConfig next = new AvcConfig(old.profile(), old.compatibility(), old.level(), 4, List.of(newSps),
                old.pps(), old.firstSps());
        TsMuxer muxer = new TsMuxer(old, null);
        ByteBuf out = Unpooled.buffer();

        muxer.write(picture(true, 0, 4, List.of("6588")), out);
        muxer.updateVideo(next);
        muxer.write(picture(false, 40, 4, List.of("419a")), out);
        muxer.write(picture(true, 80, 4, List.of("6588")), out);

        List<Pes> video = TsDemux.of(ByteBufUtil.getBytes(out)).pes(TsMuxer.VIDEO_PID);
        assertThat(hex(TsSegments.nalUnits(video.get(0).data()))).contains(hex(old.sps().get(0)));
        assertThat(hex(TsSegments.nalUnits(video.get(1).data()))).containsExactly(AUD, "419a");
        assertThat(hex(TsSegments.nalUnits(video.get(2).data()))).contains(hex(newSps))
                .doesNotContain(hex(old.sps().get(0)));
    }

    /** An FLV AVC coded frame of the given NAL units (hex), with {@code lengthSize}-byte lengths. */
    private static Frame picture(boolean keyframe, long dts, int lengthSize, List<String> nals) {
        ByteBuf body = Unpooled.buffer().writeByte(keyframe ? 0x17 : 0x27).writeByte(1).writeMedium(0);
        for (String nal : nals) {
            byte[] b = ByteBufUtil.decodeHexDump(nal);
            for (int i = lengthSize - 1; i >= 0; i--) {
                body.writeByte(b.length >> 8 * i);
            }
            body.writeBytes(b);
        }
        return FlvFrames.video(dts, body);
    }
}
