package io.tributary.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPS from libx264 (ffmpeg 5.1) and hand-built ones for syntax x264 never writes. Every hand-built SPS
 * was checked against ffmpeg's own parser ({@code -bsf:v trace_headers}) when it was written.
 */
class AvcSpsTest {

    record Case(String name, String sps, int profile, int constraints, int level, int chroma, int bitDepth,
                int width, int height, double frameRate) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> parameterSets() {
        return Stream.of(
            new Case("x264 1920x1080 High: 1088 coded lines cropped by 8", "67640028ACD940780227E5C044000003000400000300C83C60C658",
                100, 0x00, 40, 1, 8, 1920, 1080, 25),
            new Case("x264 640x360 Constrained Baseline, pic_order_cnt_type 2", "6742C01ED900A02FF970110000030001000003003C0F162E48",
                66, 0xC0, 30, 1, 8, 640, 360, 30),
            new Case("x264 854x480: 864 coded columns cropped by 10", "6764001FACD940D83DE6F01100000303E90000EA600F183196",
                100, 0x00, 31, 1, 8, 854, 480, 30000 / 1001.0),
            new Case("x264 1920x1080 interlaced: 34 field-pair map units, crop unit of 4 lines",
                "67640028ACD94078044FDE0220000003002000000643E2C5B2C0", 100, 0x00, 40, 1, 8, 1920, 1080, 25),
            new Case("x264 720x576 interlaced", "6764001EACD940B424D8088000000300800000190F8A14CB",
                100, 0x00, 30, 1, 8, 720, 576, 25),
            new Case("x264 1280x720 High 4:4:4 Predictive", "67F4001F919B280A00B76022000003000200000300781E30632C",
                244, 0x00, 31, 3, 8, 1280, 720, 30),
            new Case("x264 321x241 4:4:4: crop unit of 1 sample", "67F4000D919B282A10F08421FF81E201E1880000030008000003018078A14CB0",
                244, 0x00, 13, 3, 8, 321, 241, 24),
            new Case("x264 1280x720 High 4:2:2", "677A001FBCD9405005BB0110000003001000000303C0F1831960",
                122, 0x00, 31, 2, 8, 1280, 720, 30),
            new Case("x264 1280x720 High 10", "676E001FA6CD9405005BB0110000030001000003003C0F183196",
                110, 0x00, 31, 1, 10, 1280, 720, 30),
            new Case("x264 640x360 monochrome: crop unit of 1 line", "6764001EF3650280BFE27016C8000003000800000301E078B16CB0",
                100, 0x00, 30, 0, 8, 640, 360, 30),
            new Case("x264 1280x720p60 Main", "674D4020ECA02802DD8088000003000800000303C078C18CB0",
                77, 0x40, 32, 1, 8, 1280, 720, 60),
            new Case("x264 AVC-Intra 100 1080i: scaling matrices in the SPS, 4:2:2 10-bit",
                "677A1029B6D420223319C6632321011198CE331918210224DA444ACF25224646CADD220C88191B1234AD10608180"
                    + "AA2417891A141808840A098230441210F01E0113F2E0220000030002000003006508",
                122, 0x10, 41, 2, 10, 1920, 1080, 25),
            // Main 1280x720; pic_order_cnt_type 1 with offsets -2, 1 and a cycle of 2, -1, 5; no VUI
            new Case("hand-built pic_order_cnt_type 1 without VUI", "674D401FD0A884628802802DC8",
                77, 0x40, 31, 1, 8, 1280, 720, 0),
            // 4:4:4 with separate_colour_plane_flag; field coded, 16 map units of 32 lines, crop bottom 16 x 2
            new Case("hand-built separate colour planes, interlaced", "67F4001E93995816840F846100000303E90000EA6084",
                244, 0x00, 30, 3, 8, 720, 480, 30000 / 1001.0),
            // 4:4:4, all twelve scaling list flags: flat lists, lists that stop early, default-selecting ones
            new Case("hand-built 4:4:4 with twelve scaling lists", "67F4001F91B087FFF8464306D087FFF90C1B843FFFFFFFFF"
                    + "FFFFFFC860DC23087FFFFFFFFFFFFFFF4860DECA02802DD080000003008000003202",
                244, 0x00, 31, 3, 8, 1280, 720, 50),
            // VUI with SAR 4:3 (aspect_ratio_idc 255), overscan, video signal with colour description and
            // chroma location before timing 1001/48000
            new Case("hand-built VUI with every field before the timing", "67640028ACB280F0044FCBFF80020001FB808080D2800001F480005DC042",
                100, 0x00, 40, 1, 8, 1920, 1080, 24000 / 1001.0),
            // timing_info_present_flag is set, then the data ends: the size is still good
            new Case("hand-built VUI cut short in its timing info", "6742C01EDA0280BFE584",
                66, 0xC0, 30, 1, 8, 640, 360, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameterSets")
    void readsWhatTheStreamLooksLike(Case c) {
        AvcSps sps = AvcSps.parse(hex(c.sps()));

        assertThat(sps.profileIdc()).as("profile_idc").isEqualTo(c.profile());
        assertThat(sps.constraintFlags()).as("constraint flags").isEqualTo(c.constraints());
        assertThat(sps.levelIdc()).as("level_idc").isEqualTo(c.level());
        assertThat(sps.chromaFormatIdc()).as("chroma_format_idc").isEqualTo(c.chroma());
        assertThat(sps.bitDepthLuma()).as("luma bit depth").isEqualTo(c.bitDepth());
        assertThat(sps.width()).as("width").isEqualTo(c.width());
        assertThat(sps.height()).as("height").isEqualTo(c.height());
        assertThat(sps.frameRate()).as("frame rate").isCloseTo(c.frameRate(), within(1e-9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("parameterSets")
    void aTruncatedSpsIsReportedAsSuchAndNeverOverrunsItsArray(Case c) {
        byte[] sps = hex(c.sps());
        for (int length = 0; length < sps.length; length++) {
            byte[] prefix = Arrays.copyOf(sps, length);
            try {
                AvcSps.parse(prefix);
            } catch (CodecConfigException e) {
                assertThat(e.getMessage()).isNotBlank();
            }
        }
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("", "H.264 SPS is 0 byte(s) long, too short for its NAL header, profile and level"),
            Arguments.of("6764", "H.264 SPS is 2 byte(s) long, too short for its NAL header, profile and level"),
            Arguments.of("68EBE3CB22C0", "expected an H.264 SPS (NAL unit type 7) but the NAL header is 0x68 (type 8)"),
            Arguments.of("E764001FAC", "expected an H.264 SPS (NAL unit type 7) but the NAL header is 0xE7 (type 7)"),
            Arguments.of("6764001F",
                "malformed H.264 SPS: seq_parameter_set_id: needed 1 more bit(s) at bit 24 but the data ends at bit 24"),
            Arguments.of("6764001FACD9",
                "malformed H.264 SPS: max_num_ref_frames: needed 2 more bit(s) at bit 40 but the data ends at bit 40"),
            // High profile, seq_parameter_set_id 0, chroma_format_idc ue 4 (00101)
            Arguments.of("6764001F96", "malformed H.264 SPS: chroma_format_idc 4 is out of range 0..3"),
            // Main profile, log2_max_frame_num_minus4 0, pic_order_cnt_type ue 3 (00100)
            Arguments.of("674D401FC8", "malformed H.264 SPS: pic_order_cnt_type 3 is out of range 0..2"),
            // 640x360 baseline whose bottom crop of 200 (x2) is taller than the 368 coded lines
            Arguments.of("6742C01EDA0280BFE03250",
                "malformed H.264 SPS: frame cropping (left 0, right 0, top 0, bottom 200) leaves nothing of the 640x368 coded picture"),
            Arguments.of("67640000000000000000",
                "malformed H.264 SPS: seq_parameter_set_id: Exp-Golomb code at bit 24 has more than 31 leading zero bits"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedSpsSaysWhatIsWrong(String sps, String message) {
        assertThatThrownBy(() -> AvcSps.parse(hex(sps)))
                .isInstanceOf(CodecConfigException.class)
                .hasMessage(message);
    }

    @Test
    void garbageAfterAnSpsHeaderFailsOnlyWithCodecConfigException() {
        Random random = new Random(20240601);
        for (int i = 0; i < 20_000; i++) {
            byte[] sps = new byte[4 + random.nextInt(40)];
            random.nextBytes(sps);
            sps[0] = 0x67;
            try {
                AvcSps sps1 = AvcSps.parse(sps);
                assertThat(sps1.width()).isPositive();
                assertThat(sps1.height()).isPositive();
            } catch (CodecConfigException expected) {
                // the point: nothing else escapes
            }
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
