package io.tributary.media.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AudioSpecificConfigs from the AAC sequence header tag of FLV files written by ffmpeg 5.1's {@code aac}
 * encoder (which appends a sync extension saying "no SBR"), and hand-built ones for HE-AAC and the
 * escape codes, which that encoder never writes.
 */
class AacConfigTest {

    record Case(String name, String asc, AacConfig expected, String codec, int outputRate, int outputChannels) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> configs() {
        return Stream.of(
            new Case("ffmpeg LC 44.1 kHz stereo", "121056E500", new AacConfig(2, 4, 44100, 2, 2), "mp4a.40.2", 44100, 2),
            new Case("ffmpeg LC 48 kHz mono", "118856E500", new AacConfig(2, 3, 48000, 1, 1), "mp4a.40.2", 48000, 1),
            new Case("LC 44.1 kHz stereo without sync extension", "1210", new AacConfig(2, 4, 44100, 2, 2),
                "mp4a.40.2", 44100, 2),
            new Case("ffmpeg 7.1: channel configuration 7 is 8 channels", "11B856E500", new AacConfig(2, 3, 48000, 7, 8),
                "mp4a.40.2", 48000, 8),
            new Case("ffmpeg quad: program config element with a comment", "118004C4040021100D4C61766335392E33372E3130"
                + "3056E500", new AacConfig(2, 3, 48000, 0, 4), "mp4a.40.2", 48000, 4),
            new Case("ffmpeg 6.1: program config element with LFE", "118004C848002000C4400D4C61766335392E33372E313030"
                + "56E500", new AacConfig(2, 3, 48000, 0, 7), "mp4a.40.2", 48000, 7),
            new Case("ffmpeg 2.1: program config element", "118004C4010020000D4C61766335392E33372E31303056E500",
                new AacConfig(2, 3, 48000, 0, 3), "mp4a.40.2", 48000, 3),
            // front SCE + front CPE + back CPE + LFE, no comment
            new Case("5.1 in a program config element", "118004C8050001088000", new AacConfig(2, 3, 48000, 0, 6),
                "mp4a.40.2", 48000, 6),
            // AOT 5, core 22050 Hz stereo, SBR at 44100 Hz, core AOT 2 (as fdk-aac writes HE-AAC v1)
            new Case("HE-AAC v1, hierarchical signalling", "2B920800", new AacConfig(2, 7, 22050, 2, 2, 5, 44100),
                "mp4a.40.5", 44100, 2),
            // AOT 29, core 24000 Hz mono, SBR at 48000 Hz, core AOT 2: PS makes it stereo
            new Case("HE-AAC v2, hierarchical signalling", "EB098800", new AacConfig(2, 6, 24000, 1, 1, 29, 48000),
                "mp4a.40.29", 48000, 2),
            // AOT 2, 22050 Hz stereo; sync 0x2B7, AOT 5, sbrPresentFlag 1, 44100 Hz
            new Case("HE-AAC v1, backward-compatible signalling", "139056E5A0",
                new AacConfig(2, 7, 22050, 2, 2, 5, 44100), "mp4a.40.5", 44100, 2),
            // as above at 24000 Hz mono to 48000 Hz, then sync 0x548 with psPresentFlag 1
            new Case("HE-AAC v2, backward-compatible signalling", "130856E59D4880",
                new AacConfig(2, 6, 24000, 1, 1, 29, 48000), "mp4a.40.29", 48000, 2),
            // AOT 5 at 48000 Hz both sides: downsampled SBR, the rate is not doubled
            new Case("HE-AAC with downsampled SBR", "29918800", new AacConfig(2, 3, 48000, 2, 2, 5, 48000),
                "mp4a.40.5", 48000, 2),
            // AOT 2, samplingFrequencyIndex 15, samplingFrequency 44100 in 24 bits, stereo
            new Case("explicit sampling frequency", "1780562210", new AacConfig(2, 15, 44100, 2, 2), "mp4a.40.2", 44100, 2),
            new Case("explicit sampling frequency not in the table", "178049D410", new AacConfig(2, 15, 37800, 2, 2),
                "mp4a.40.2", 37800, 2),
            // AOT 31 + 6 bits (10): 42, USAC, 48000 Hz stereo
            new Case("escaped object type (xHE-AAC)", "F94640", new AacConfig(42, 3, 48000, 2, 2), "mp4a.40.42", 48000, 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void describesTheStreamAsAListenerHearsIt(Case c) {
        AacConfig config = AacConfig.parse(Unpooled.wrappedBuffer(hex(c.asc())));

        assertThat(config).isEqualTo(c.expected());
        assertThat(config.codecString()).isEqualTo(c.codec());
        assertThat(config.outputSampleRate()).isEqualTo(c.outputRate());
        assertThat(config.outputChannels()).isEqualTo(c.outputChannels());
    }

    @Test
    void readsFromTheReaderIndexAndLeavesItWhereItWas() {
        ByteBuf tag = Unpooled.wrappedBuffer(hex("AF00121056E500")); // FLV AAC sequence header tag body
        tag.skipBytes(2);

        AacConfig config = AacConfig.parse(tag);

        assertThat(config.sampleRate()).isEqualTo(44100);
        assertThat(tag.readerIndex()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}-byte frame of {1}")
    @CsvSource({
        "338, 121056E500, FFF150802B3FFC", // the first header of ffmpeg's -f adts output for the same stream
        "212, 118856E500, FFF14C401B7FFC",
    })
    void writesTheAdtsHeaderFfmpegWrites(int frameLength, String asc, String adts) {
        AacConfig config = AacConfig.parse(Unpooled.wrappedBuffer(hex(asc)));

        assertThat(config.adtsHeader(frameLength)).isEqualTo(hex(adts));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("configs")
    void anAdtsHeaderCarriesTheCoreConfigBackWhereAdtsCanCarryIt(Case c) {
        AacConfig config = c.expected();
        if (config.objectType() > 4 || config.channelConfig() == 0 || config.sampleRate() == 37800) {
            return; // not expressible in ADTS: see adtsHeaderRefusesWhatAdtsCannotSay
        }

        byte[] header = config.adtsHeader(1000);

        AacConfig back = AacConfig.fromAdts(header);
        assertThat(back.objectType()).isEqualTo(config.objectType());
        assertThat(back.sampleRate()).isEqualTo(config.sampleRate());
        assertThat(back.channelConfig()).isEqualTo(config.channelConfig());
        assertThat(back.channels()).isEqualTo(config.channels());
        int frameLength = (header[3] & 3) << 11 | (header[4] & 0xFF) << 3 | (header[5] & 0xFF) >> 5;
        assertThat(frameLength).isEqualTo(1007);
    }

    @Test
    void anExplicitRateThatTheTableListsIsSentByIndex() {
        AacConfig explicit = AacConfig.parse(Unpooled.wrappedBuffer(hex("1780562210")));

        assertThat(AacConfig.fromAdts(explicit.adtsHeader(100))).isEqualTo(new AacConfig(2, 4, 44100, 2, 2));
    }

    @Test
    void readsAnAdtsHeaderThatHasACrc() {
        assertThat(AacConfig.fromAdts(hex("FFF050802B3FFCABCD"))).isEqualTo(new AacConfig(2, 4, 44100, 2, 2));
    }

    @Test
    void adtsFrameLengthIsLimitedTo13Bits() {
        AacConfig lc = new AacConfig(2, 4, 44100, 2, 2);

        assertThat(lc.adtsHeader(8184)).isEqualTo(hex("FFF15083FFFFFC"));
        assertThatThrownBy(() -> lc.adtsHeader(8185))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an ADTS frame holds 0 to 8184 bytes of AAC, not 8185");
        assertThatThrownBy(() -> lc.adtsHeader(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> notExpressibleInAdts() {
        return Stream.of(
            Arguments.of("118004C8050001088000", "channelConfiguration 0 cannot be carried in an ADTS header (1 to 7 only)"),
            Arguments.of("F94640",
                "AAC object type 42 cannot be carried in ADTS, which only signals types 1 to 4 (Main, LC, SSR, LTP)"),
            Arguments.of("178049D410", "sampling rate 37800 Hz has no samplingFrequencyIndex and cannot be carried in ADTS"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("notExpressibleInAdts")
    void adtsHeaderRefusesWhatAdtsCannotSay(String asc, String message) {
        AacConfig config = AacConfig.parse(Unpooled.wrappedBuffer(hex(asc)));

        assertThatThrownBy(() -> config.adtsHeader(100))
                .isInstanceOf(CodecConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "FFF1508020         | ADTS header needs 7 bytes, got 5",
        "47400011000000     | not an ADTS header: starts 0x4740, expected syncword 0xFFF and layer 0",
        "FFF3508020FFFC     | not an ADTS header: starts 0xFFF3, expected syncword 0xFFF and layer 0",
        "FFF1748020FFFC     | ADTS header has reserved sampling_frequency_index 13",
    })
    void malformedAdtsHeadersSayWhatIsWrong(String header, String message) {
        assertThatThrownBy(() -> AacConfig.fromAdts(hex(header)))
                .isInstanceOf(CodecConfigException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "''         | AudioSpecificConfig is empty",
        "12         | malformed AudioSpecificConfig: needed 4 more bit(s) at bit 5 but the data ends at bit 8",
        "0210       | malformed AudioSpecificConfig: audioObjectType is 0 (null object)",
        "1690       | malformed AudioSpecificConfig: samplingFrequencyIndex 13 is reserved",
        "1240       | malformed AudioSpecificConfig: channelConfiguration 8 is reserved",
        "1780000010 | malformed AudioSpecificConfig: explicit samplingFrequency is 0",
        "118004C805 | malformed AudioSpecificConfig: GASpecificConfig: program_config_element: needed 3 more bit(s) at bit 40 but the data ends at bit 40",
    })
    void malformedConfigsSayWhatIsWrong(String asc, String message) {
        assertThatThrownBy(() -> AacConfig.parse(Unpooled.wrappedBuffer(hex(asc))))
                .isInstanceOf(CodecConfigException.class)
                .hasMessage(message);
    }

    @Test
    void garbageFailsOnlyWithCodecConfigException() {
        Random random = new Random(11);
        for (int i = 0; i < 20_000; i++) {
            byte[] asc = new byte[1 + random.nextInt(12)];
            random.nextBytes(asc);
            try {
                AacConfig config = AacConfig.parse(Unpooled.wrappedBuffer(asc));
                assertThat(config.sampleRate()).isPositive();
            } catch (CodecConfigException expected) {
                // the point: nothing else escapes
            }
        }
    }

    private static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }
}
