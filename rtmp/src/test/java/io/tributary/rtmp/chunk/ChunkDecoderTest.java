package io.tributary.rtmp.chunk;

import static io.tributary.rtmp.chunk.Chunks.decodeBytewise;
import static io.tributary.rtmp.chunk.Chunks.decodeWhole;
import static io.tributary.rtmp.chunk.Chunks.hex;
import static io.tributary.rtmp.chunk.Chunks.repeat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.rtmp.chunk.Chunks.Decoded;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkDecoderTest {

    static Stream<Arguments> vectors() {
        return Stream.of(
                // Each header format, with basic headers of 1, 2 and 3 bytes.
                headerFormats("1-byte basic header, csid 5", 5, "05", "45", "85", "C5"),
                headerFormats("2-byte basic header, csid 80", 80, "00 10", "40 10", "80 10", "C0 10"),
                headerFormats("3-byte basic header, csid 4724", 4724, "01 34 12", "41 34 12", "81 34 12", "C1 34 12"),
                Arguments.of("extended timestamp on type 0, repeated on the type 3 continuation",
                        "03 FFFFFF 0000C8 09 01000000 01000000" + repeat("AB", 128)
                                + "C3 01000000" + repeat("CD", 72),
                        List.of(new Decoded(3, 9, 1, 0x01000000L, repeat("ab", 128) + repeat("cd", 72)))),
                Arguments.of("extended delta on type 2, repeated by a type 3 new message",
                        "04 000000 000001 08 01000000 AA"
                                + "84 FFFFFF 01000000 BB"
                                + "C4 01000000 CC",
                        List.of(new Decoded(4, 8, 1, 0, "aa"),
                                new Decoded(4, 8, 1, 0x01000000L, "bb"),
                                new Decoded(4, 8, 1, 0x02000000L, "cc"))),
                Arguments.of("Set Chunk Size applies to the very next chunk",
                        "02 000000 000004 01 00000000 00000100"
                                + "06 000000 000190 09 01000000" + repeat("11", 256) + "C6" + repeat("22", 144),
                        List.of(new Decoded(2, 1, 0, 0, "00000100"),
                                new Decoded(6, 9, 1, 0, repeat("11", 256) + repeat("22", 144)))),
                Arguments.of("Abort drops the partial message; the chunk stream then starts afresh",
                        "04 000000 0000C8 09 01000000" + repeat("11", 128)
                                + "02 000000 000004 02 00000000 00000004"
                                + "04 000010 000003 09 01000000 AABBCC",
                        List.of(new Decoded(2, 2, 0, 0, "00000004"),
                                new Decoded(4, 9, 1, 16, "aabbcc"))),
                Arguments.of("partial messages on two chunk streams interleave",
                        "04 000000 0000C8 09 01000000" + repeat("11", 128)
                                + "05 000000 000082 08 01000000" + repeat("22", 128)
                                + "C4" + repeat("33", 72)
                                + "C5 4444",
                        List.of(new Decoded(4, 9, 1, 0, repeat("11", 128) + repeat("33", 72)),
                                new Decoded(5, 8, 1, 0, repeat("22", 128) + "4444"))),
                Arguments.of("deltas of types 1, 2 and 3 accumulate and wrap at 32 bits",
                        "03 FFFFFF 000001 08 01000000 FFFFFFF0 AA"
                                + "83 000010 BB"
                                + "C3 CC"
                                + "43 000005 000002 09 DDEE",
                        List.of(new Decoded(3, 8, 1, 0xFFFFFFF0L, "aa"),
                                new Decoded(3, 8, 1, 0, "bb"),
                                new Decoded(3, 8, 1, 16, "cc"),
                                new Decoded(3, 9, 1, 21, "ddee"))),
                Arguments.of("a type 3 new message after type 0 takes its timestamp as the delta, as ffmpeg means it",
                        "03 000028 000001 08 01000000 AA" + "C3 BB",
                        List.of(new Decoded(3, 8, 1, 40, "aa"), new Decoded(3, 8, 1, 80, "bb"))),
                Arguments.of("an empty message",
                        "03 000007 000000 12 01000000",
                        List.of(new Decoded(3, 18, 1, 7, ""))));
    }

    private static Arguments headerFormats(String name, int csid, String fmt0, String fmt1, String fmt2, String fmt3) {
        return Arguments.of("each header format, " + name,
                fmt0 + "0003E8 000003 08 01000000 AABBCC"
                        + fmt1 + "000014 000002 09 DDEE"
                        + fmt2 + "00001E FF00"
                        + fmt3 + "1122",
                List.of(new Decoded(csid, 8, 1, 1000, "aabbcc"),
                        new Decoded(csid, 9, 1, 1020, "ddee"),
                        new Decoded(csid, 9, 1, 1050, "ff00"),
                        new Decoded(csid, 9, 1, 1080, "1122")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void decodesVectorWholeAndBytewise(String name, String input, List<Decoded> expected) {
        assertThat(decodeWhole(hex(input))).isEqualTo(expected);
        assertThat(decodeBytewise(hex(input))).isEqualTo(expected);
    }

    @Test
    void payloadsAreExactlyTheMessageBytes() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(8 << 20, 16));
        byte[] input = hex("04 000000 0000C8 09 01000000" + repeat("11", 128) + "C4" + repeat("33", 72));
        for (byte b : input) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        RtmpMessage message = channel.readInbound();
        assertThat(message.payload().readableBytes()).isEqualTo(200);
        assertThat(message.payload().capacity()).isEqualTo(200);
        assertThat(message.refCnt()).isEqualTo(1);
        message.release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void countsEveryByteReadAndTracksTheChunkSize() {
        ChunkDecoder decoder = new ChunkDecoder(8 << 20, 16);
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        byte[] input = hex("02 000000 000004 01 00000000 7FFFFFFF" + "03 000000 000001 08 01000000 AA");
        channel.writeInbound(Unpooled.wrappedBuffer(input, 0, input.length - 1));
        assertThat(decoder.bytesRead()).isEqualTo(input.length - 1);
        channel.writeInbound(Unpooled.wrappedBuffer(input, input.length - 1, 1));

        assertThat(decoder.bytesRead()).isEqualTo(input.length);
        assertThat(decoder.chunkSize()).as("sizes above 0xFFFFFF are capped").isEqualTo(0xFFFFFF);
        assertThat(Chunks.readAll(channel)).hasSize(2);
        channel.finishAndReleaseAll();
    }

    static Stream<Arguments> protocolErrors() {
        return Stream.of(
                Arguments.of("02 000000 000004 01 00000000 00000000", "chunk size 0 is invalid"),
                Arguments.of("02 000000 000004 01 00000000 80000100",
                        "chunk size 0x80000100 is invalid: the top bit must be clear"),
                Arguments.of("02 000000 000002 01 00000000 0100", "Set Chunk Size message has 2 bytes, expected 4"),
                Arguments.of("03 000000 895440 09 01000000",
                        "message length 9000000 exceeds the limit of 8388608 bytes"),
                Arguments.of("47 000000 000001 08 AA",
                        "chunk stream 7 sent a type 1 chunk header before any type 0 header"),
                Arguments.of("87 000000 AA", "chunk stream 7 sent a type 2 chunk header before any type 0 header"),
                Arguments.of("C7 AA", "chunk stream 7 continues a message it never started"),
                Arguments.of("04 000000 0000C8 09 01000000" + repeat("11", 128) + "44 000000 000001 08 AA",
                        "chunk stream 4 started a new message with a type 1 header while 72 of 200 bytes"
                                + " of the previous one were still missing"),
                Arguments.of("03 000000 0000C8 09 01000000" + repeat("11", 128)
                                + "04 000000 0000C8 09 01000000" + repeat("11", 128)
                                + "05 000000 0000C8 09 01000000" + repeat("11", 128),
                        "chunk stream 5 starts a message while 2 chunk streams already have partial messages"
                                + " (limit 2)"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("protocolErrors")
    void refusesProtocolErrors(String input, String message) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(8 << 20, 2));

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.wrappedBuffer(hex(input))))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessage(message);
        // Once broken, the stream is not decoded any further and holds no buffers.
        channel.writeInbound(Unpooled.wrappedBuffer(hex("03 000000 000001 08 01000000 AA")));
        channel.finishAndReleaseAll();
    }

    @Test
    void hostileDeclaredLengthsCostOnlyWhatArrives() {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(new ChunkDecoder(16 << 20, 16));

        // 16 chunk streams each declare a 16,000,000-byte message and send only its first chunk.
        StringBuilder opening = new StringBuilder();
        for (int csid = 3; csid < 19; csid++) {
            opening.append(String.format("%02X 000000 F42400 09 01000000", csid)).append(repeat("5A", 128));
        }
        long received = feed(channel, opening.toString());
        assertThat(alloc.metric().usedHeapMemory()).isPositive().isLessThanOrEqualTo(2 * received);

        for (int round = 0; round < 40; round++) {
            StringBuilder more = new StringBuilder();
            for (int csid = 3; csid < 19; csid++) {
                more.append(String.format("%02X", 0xC0 | csid)).append(repeat("5A", 128));
            }
            received += feed(channel, more.toString());
            assertThat(alloc.metric().usedHeapMemory()).isLessThanOrEqualTo(2 * received);
        }
        assertThat(channel.<Object>readInbound()).isNull();

        channel.finishAndReleaseAll();
        assertThat(alloc.metric().usedHeapMemory()).as("partial messages are released on close").isZero();
    }

    private static long feed(EmbeddedChannel channel, String hexInput) {
        byte[] bytes = hex(hexInput);
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        return bytes.length;
    }
}
