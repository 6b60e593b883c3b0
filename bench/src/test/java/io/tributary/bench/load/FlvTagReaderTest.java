package io.tributary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class FlvTagReaderTest {
    private static final String HEADER = "464c5601 05 00000009 00000000";

    static Stream<Arguments> flvStreams() {
        return Stream.of(
                Arguments.of("tags of each type",
                        HEADER + "12 000002 000000 00 000000 0203 0000000d"
                                + "09 000003 000028 00 000000 170000 0000000e"
                                + "08 000001 000028 00 000000 af 0000000c",
                        List.of("18 0203", "9 170000", "8 af")),
                Arguments.of("a longer header and an empty tag",
                        "464c5601 05 0000000c aabbcc 00000000"
                                + "09 000000 000000 00 000000 0000000b"
                                + "08 000002 000000 00 000000 af01 0000000d",
                        List.of("9 ", "8 af01")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flvStreams")
    void readsEveryTagWhateverTheReadBoundaries(String what, String hex, List<String> expected) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));

        assertThat(readInPieces(bytes, bytes.length)).isEqualTo(expected);
        assertThat(readInPieces(bytes, 1)).isEqualTo(expected);
        assertThat(readInPieces(bytes, 5)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "not FLV, 3c68746d6c3e0a3c2f68746d6c3e, the response body is not FLV (it starts with 3c 68 74)",
        "encrypted, 464c5601050000000900000000 29000001000000000000 00, encrypted FLV tags are not supported",
    })
    void malformedStreamsFailWithAReason(String what, String hex, String message) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));

        assertThatThrownBy(() -> readInPieces(bytes, bytes.length))
                .isInstanceOf(FlvTagReader.FlvStreamException.class)
                .hasMessage(message);
    }

    private static List<String> readInPieces(byte[] bytes, int piece) {
        List<String> tags = new ArrayList<>();
        FlvTagReader reader = new FlvTagReader(new FlvTagReader.Sink() {
            int type;
            ByteArrayOutputStream body;

            @Override
            public void tagStart(int type, int size) {
                this.type = type;
                body = new ByteArrayOutputStream();
            }

            @Override
            public void tagBytes(ByteBuf in, int at, int n) {
                byte[] b = new byte[n];
                in.getBytes(at, b);
                body.writeBytes(b);
            }

            @Override
            public void tagEnd() {
                tags.add(type + " " + ByteBufUtil.hexDump(body.toByteArray()));
            }
        }, new byte[Player.HEADER_SCRATCH]);
        for (int at = 0; at < bytes.length; at += piece) {
            reader.read(Unpooled.wrappedBuffer(bytes, at, Math.min(piece, bytes.length - at)));
        }
        return tags;
    }
}
