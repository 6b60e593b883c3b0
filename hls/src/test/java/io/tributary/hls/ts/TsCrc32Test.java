package io.tributary.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TsCrc32Test {

    record Case(String name, byte[] bytes, int crc) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> vectors() {
        return Stream.of(
            new Case("the CRC-32/MPEG-2 check value", "123456789".getBytes(StandardCharsets.US_ASCII), 0x0376E6E7),
            new Case("no bytes: the initial value, not inverted", new byte[0], 0xFFFFFFFF),
            // Sections as ffmpeg 5.1's mpegts muxer writes them, and the CRC it puts after each.
            new Case("PAT", hex("00B00D0001C100000001F000"), 0x2AB104B2),
            new Case("PMT, H.264 on 0x100 and AAC on 0x101", hex("02B0170001C10000E100F0001BE100F0000FE101F000"),
                0x2F44B99B),
            new Case("PMT, H.264 alone", hex("02B0120001C10000E100F0001BE100F000"), 0x15BD4D56),
            new Case("PMT, AAC alone on 0x101", hex("02B0120001C10000E101F0000FE101F000"), 0xECE2B094));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void computesTheMpeg2Crc(Case c) {
        ByteBuf buf = Unpooled.wrappedBuffer(c.bytes());

        assertThat(TsCrc32.of(buf, 0, buf.writerIndex())).isEqualTo(c.crc());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void aSectionFollowedByItsCrcSumsToZero(Case c) {
        ByteBuf buf = Unpooled.buffer().writeBytes(c.bytes()).writeInt(c.crc());

        assertThat(TsCrc32.of(buf, 0, buf.writerIndex())).isZero();
    }

    private static byte[] hex(String s) {
        return ByteBufUtil.decodeHexDump(s);
    }
}
