package io.tributary.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AVCDecoderConfigurationRecords taken from the AVC sequence header tag of FLV files that ffmpeg 5.1
 * wrote with libx264, as an RTMP publisher sends them.
 */
class AvcConfigTest {

    record Case(String name, String record, int width, int height, int profile, int level, String codec,
                double frameRate) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> records() {
        return Stream.of(
            new Case("1280x720 High", "0164001FFFE1001A6764001FACD9405005BB0110000003001000000303C0F18319600100"
                + "0668EBE3CB22C0FDF8F800", 1280, 720, 100, 31, "avc1.64001F", 30),
            new Case("1920x1080 High, cropped from 1088", "01640028FFE1001B67640028ACD940780227E5C04400000300040000"
                + "0300C83C60C65801000668EBE3CB22C0FDF8F800", 1920, 1080, 100, 40, "avc1.640028", 25),
            new Case("640x360 Constrained Baseline", "0142C01EFFE100196742C01ED900A02FF970110000030001000003003C0F16"
                + "2E4801000568CB83CB20", 640, 360, 66, 30, "avc1.42C01E", 30),
            new Case("854x480 High at 29.97", "0164001FFFE100196764001FACD940D83DE6F01100000303E90000EA600F18319601"
                + "000668EBE3CB22C0FDF8F800", 854, 480, 100, 31, "avc1.64001F", 30000 / 1001.0),
            new Case("1280x720 High 4:4:4 Predictive", "01F4001FFFE1001A67F4001F919B280A00B76022000003000200000300781E"
                + "30632C01000668EBE3C44844FFF8F800", 1280, 720, 244, 31, "avc1.F4001F", 30),
            new Case("1920x1080 interlaced", "01640028FFE1001A67640028ACD94078044FDE0220000003002000000643E2C5B2C001"
                + "000668FBA3CB22C0FDF8F800", 1920, 1080, 100, 40, "avc1.640028", 25),
            new Case("720x576 interlaced", "0164001EFFE100186764001EACD940B424D8088000000300800000190F8A14CB010006"
                + "68FBA3CB22C0FDF8F800", 720, 576, 100, 30, "avc1.64001E", 25),
            new Case("1280x720p60 Main", "014D4020FFE10019674D4020ECA02802DD8088000003000800000303C078C18CB00100056"
                + "8EBE3CB20", 1280, 720, 77, 32, "avc1.4D4020", 60),
            new Case("1280x720 High 10", "016E001FFFE1001A676E001FA6CD9405005BB0110000030001000003003C0F18319601000"
                + "668EBE3CB22C0FDFAFA00", 1280, 720, 110, 31, "avc1.6E001F", 30),
            new Case("1280x720 High 4:2:2", "017A001FFFE1001A677A001FBCD9405005BB0110000003001000000303C0F183196001"
                + "000668EBE3CB22C0FEF8F800", 1280, 720, 122, 31, "avc1.7A001F", 30),
            new Case("640x360 monochrome", "0164001EFFE1001B6764001EF3650280BFE27016C8000003000800000301E078B16CB00"
                + "1000668EBE3CB22C0FCF8F800", 640, 360, 100, 30, "avc1.64001E", 30),
            new Case("321x241 4:4:4", "01F4000DFFE1002067F4000D919B282A10F08421FF81E201E18800000300080000030180"
                + "78A14CB001000668EBE3C44844FFF8F800", 321, 241, 244, 13, "avc1.F4000D", 24));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void describesTheStreamAsAViewerSeesIt(Case c) {
        AvcConfig config = AvcConfig.parse(Unpooled.wrappedBuffer(hex(c.record())));

        assertThat(config.width()).as("width").isEqualTo(c.width());
        assertThat(config.height()).as("height").isEqualTo(c.height());
        assertThat(config.profile()).as("profile").isEqualTo(c.profile());
        assertThat(config.level()).as("level").isEqualTo(c.level());
        assertThat(config.codecString()).isEqualTo(c.codec());
        assertThat(config.firstSps().frameRate()).as("frame rate").isCloseTo(c.frameRate(), within(1e-9));
        assertThat(config.nalLengthSize()).isEqualTo(4);
        assertThat(config.sps()).hasSize(1);
        assertThat(config.pps()).hasSize(1);
        assertThat(config.pps().get(0)[0] & 0x1F).as("PPS NAL type").isEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void rebuildingFromTheParameterSetsGivesTheSameBytesAsFfmpeg(Case c) {
        AvcConfig parsed = AvcConfig.parse(Unpooled.wrappedBuffer(hex(c.record())));

        AvcConfig rebuilt = AvcConfig.fromParameterSets(parsed.sps(), parsed.pps());

        assertThat(HexFormat.of().withUpperCase().formatHex(rebuilt.toRecord())).isEqualTo(c.record());
        assertThat(rebuilt.codecString()).isEqualTo(c.codec());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void aTruncatedRecordIsReportedAsSuch(Case c) {
        byte[] record = hex(c.record());
        int end = 8 + ((record[6] & 0xFF) << 8 | record[7] & 0xFF) + 3; // through the PPS length
        for (int length = 0; length < end; length++) {
            ByteBuf truncated = Unpooled.wrappedBuffer(record, 0, length);
            assertThatThrownBy(() -> AvcConfig.parse(truncated))
                    .isInstanceOf(CodecConfigException.class)
                    .hasMessageStartingWith("AVCDecoderConfigurationRecord is truncated: ");
        }
    }

    @Test
    void readsFromTheReaderIndexAndLeavesItWhereItWas() {
        // an FLV AVC sequence header tag body: frame type/codec 0x17, packet type 0, composition time 0
        ByteBuf tag = Unpooled.wrappedBuffer(hex("1700000000" + records().findFirst().orElseThrow().record()));
        tag.skipBytes(5);

        AvcConfig config = AvcConfig.parse(tag);

        assertThat(config.codecString()).isEqualTo("avc1.64001F");
        assertThat(tag.readerIndex()).isEqualTo(5);
    }

    @Test
    void buildsARecordForAnnexBParameterSetsWithoutTheHighProfileExtensionForBaseline() {
        byte[] sps = hex("6742C01ED900A02FF970110000030001000003003C0F162E48");
        byte[] pps = hex("68CB83CB20");

        AvcConfig config = AvcConfig.fromParameterSets(List.of(sps), List.of(pps));

        assertThat(config.toRecord()).isEqualTo(hex("0142C01EFFE100196742C01ED900A02FF970110000030001000003003C0F16"
                + "2E4801000568CB83CB20"));
        assertThat(config.width()).isEqualTo(640);
        assertThat(config.height()).isEqualTo(360);
    }

    @Test
    void buildsARecordWithTheChromaAndBitDepthExtensionFromAnAvcIntraSps() {
        byte[] sps = hex("677A1029B6D420223319C6632321011198CE331918210224DA444ACF25224646CADD220C88191B1234AD10608180"
                + "AA2417891A141808840A098230441210F01E0113F2E0220000030002000003006508");
        byte[] pps = hex("68CE3348D0");

        byte[] record = AvcConfig.fromParameterSets(List.of(sps), List.of(pps)).toRecord();

        assertThat(HexFormat.of().withUpperCase().formatHex(record)).startsWith("017A1029FFE10050677A")
                .endsWith("01000568CE3348D0FEFAFA00"); // 4:2:2, 10-bit luma and chroma, no SPS extensions
        assertThat(AvcConfig.parse(Unpooled.wrappedBuffer(record)).codecString()).isEqualTo("avc1.7A1029");
    }

    @Test
    void aRecordWithoutPpsIsAcceptedBecauseTheyMayComeInBand() {
        AvcConfig config = AvcConfig.parse(Unpooled.wrappedBuffer(hex(
                "0142C01EFFE100196742C01ED900A02FF970110000030001000003003C0F162E4800")));

        assertThat(config.pps()).isEmpty();
        assertThat(config.width()).isEqualTo(640);
    }

    static Stream<Arguments> malformedRecords() {
        return Stream.of(
            Arguments.of("empty", "",
                "AVCDecoderConfigurationRecord is truncated: configurationVersion needs 1 byte(s) at offset 0 but only 0 remain"),
            Arguments.of("FLV tag header left in front", "1700000000014D401F",
                "AVCDecoderConfigurationRecord has configurationVersion 0x17, expected 1 (is the FLV video tag header still in front of it?)"),
            Arguments.of("no SPS", "0164001FFFE00100",
                "AVCDecoderConfigurationRecord contains no SPS"),
            Arguments.of("3-byte NAL lengths", "0164001FFEE1",
                "AVCDecoderConfigurationRecord has a NAL length size of 3 bytes; only 1, 2 and 4 are allowed"),
            Arguments.of("SPS longer than the record", "0164001FFFE1001A6764001FACD9",
                "AVCDecoderConfigurationRecord is truncated: SPS 1 of 1 (26 bytes) needs 26 byte(s) at offset 8 but only 6 remain"),
            Arguments.of("empty SPS", "0164001FFFE10000",
                "AVCDecoderConfigurationRecord has an empty SPS 1 of 1"),
            Arguments.of("PPS where the SPS belongs", "0164001FFFE1000668EBE3CB22C000",
                "expected an H.264 SPS (NAL unit type 7) but the NAL header is 0x68 (type 8)"),
            Arguments.of("SPS cut short inside", "0164001FFFE100046764001F00",
                "malformed H.264 SPS: seq_parameter_set_id: needed 1 more bit(s) at bit 24 but the data ends at bit 24"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedRecords")
    void malformedRecordsSayWhatIsWrong(String name, String record, String message) {
        assertThatThrownBy(() -> AvcConfig.parse(Unpooled.wrappedBuffer(hex(record))))
                .isInstanceOf(CodecConfigException.class)
                .hasMessage(message);
    }

    @Test
    void garbageFailsOnlyWithCodecConfigException() {
        Random random = new Random(7);
        byte[] real = hex(records().findFirst().orElseThrow().record());
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = i % 2 == 0 ? new byte[1 + random.nextInt(64)] : real.clone();
            if (i % 2 == 0) {
                random.nextBytes(bytes);
                bytes[0] = 1;
            } else {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            try {
                AvcConfig.parse(Unpooled.wrappedBuffer(bytes));
            } catch (CodecConfigException expected) {
                // the point: nothing else escapes
            }
        }
    }

    static Stream<Arguments> badParameterSets() {
        byte[] sps = hex("6742C01ED900A02FF970110000030001000003003C0F162E48");
        byte[] pps = hex("68CB83CB20");
        return Stream.of(
            Arguments.of("no SPS", List.of(), List.of(pps),
                "cannot build an AVCDecoderConfigurationRecord without an SPS"),
            Arguments.of("Annex-B start code attached", List.of(hex("0000000167")), List.of(pps),
                "expected SPS (NAL unit type 7) but got NAL unit type 0; are Annex-B start codes still attached?"),
            Arguments.of("SPS in the PPS list", List.of(sps), List.of(sps),
                "expected PPS (NAL unit type 8) but got NAL unit type 7; are Annex-B start codes still attached?"),
            Arguments.of("32 SPS", Collections.nCopies(32, sps), List.of(pps),
                "an AVCDecoderConfigurationRecord holds at most 31 SPS, not 32"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badParameterSets")
    void refusesToBuildARecordFromBadParameterSets(String name, List<byte[]> sps, List<byte[]> pps, String message) {
        assertThatThrownBy(() -> AvcConfig.fromParameterSets(sps, pps))
                .isInstanceOf(CodecConfigException.class)
                .hasMessage(message);
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
