package io.tributary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.rtmp.chunk.RtmpProtocolException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ChunkReaderTest {

    /** Each case: chunk stream bytes, and the messages read as "csid type streamId payload". */
    static Stream<Arguments> chunkStreams() {
        return Stream.of(
                Arguments.of("type 0 header, one chunk",
                        "03 000000 000005 14 01000000 0102030405",
                        List.of("3 20 1 0102030405")),
                Arguments.of("a message over two chunks of 128",
                        "06 000000 000082 09 01000000" + seq(0, 128) + "c6" + seq(128, 2),
                        List.of("6 9 1 " + seq(0, 130))),
                Arguments.of("type 1, 2 and 3 headers reuse what the stream said before",
                        "04 000000 000001 08 01000000 aa"
                                + "44 000028 000002 08 bbbb"
                                + "84 000028 cccc"
                                + "c4 dddd",
                        List.of("4 8 1 aa", "4 8 1 bbbb", "4 8 1 cccc", "4 8 1 dddd")),
                Arguments.of("extended timestamps, repeated by type 3 chunks of the same stream",
                        "04 ffffff 000003 08 01000000 01020304 0a0b0c"
                                + "c4 01020304 0d0e0f"
                                + "44 ffffff 000082 09 05060708" + seq(0, 128) + "c4 05060708" + seq(128, 2),
                        List.of("4 8 1 0a0b0c", "4 8 1 0d0e0f", "4 9 1 " + seq(0, 130))),
                Arguments.of("two- and three-byte basic headers",
                        "00 00 000000 000001 14 00000000 01"
                                + "01 0001 000000 000001 14 00000000 02"
                                + "40 00 000000 000001 14 03",
                        List.of("64 20 0 01", "320 20 0 02", "64 20 0 03")),
                Arguments.of("an audio message between the chunks of a video message",
                        "06 000000 0000c8 09 01000000" + seq(0, 128)
                                + "04 000000 000003 08 01000000 a1a2a3"
                                + "c6" + seq(128, 72),
                        List.of("4 8 1 a1a2a3", "6 9 1 " + seq(0, 200))),
                Arguments.of("Set Chunk Size applies to the chunks that follow it",
                        "02 000000 000004 01 00000000 00000100"
                                + "06 000000 000100 09 01000000" + seq(0, 256),
                        List.of("2 1 0 00000100", "6 9 1 " + seq(0, 256))),
                Arguments.of("an empty message",
                        "03 000000 000000 14 00000000 03 000000 000001 14 00000000 ff",
                        List.of("3 20 0 ", "3 20 0 ff")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chunkStreams")
    void readsEveryMessageWhateverTheReadBoundaries(String what, String hex, List<String> expected) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));

        assertThat(readInPieces(bytes, bytes.length)).as("in one read").isEqualTo(expected);
        assertThat(readInPieces(bytes, 1)).as("a byte per read").isEqualTo(expected);
        assertThat(readInPieces(bytes, 7)).as("seven bytes per read").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStreams")
    void protocolErrorsSayWhatIsWrong(String what, String hex, String message) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.replace(" ", ""));

        assertThatThrownBy(() -> readInPieces(bytes, bytes.length))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining(message);
    }

    static Stream<Arguments> brokenStreams() {
        return Stream.of(
                Arguments.of("type 3 on a new chunk stream", "c5 01", "continues a message it never started"),
                Arguments.of("type 1 on a new chunk stream", "45 000000 000001 08 01",
                        "type 1 chunk header before any type 0 header"),
                Arguments.of("a new message before the last one is complete",
                        "06 000000 000082 09 01000000" + seq(0, 128) + "46 000000 000001 09 01",
                        "started a new message with a type 1 header while 2 bytes"));
    }

    @org.junit.jupiter.api.Test
    void countsEveryByteItReads() {
        byte[] bytes = ByteBufUtil.decodeHexDump("0300000000000114010000000103000000000001140100000002");
        Recorder recorder = new Recorder();
        ChunkReader reader = new ChunkReader(recorder, new byte[Player.HEADER_SCRATCH]);
        recorder.reader = reader;

        reader.read(Unpooled.wrappedBuffer(bytes, 0, 5));
        reader.read(Unpooled.wrappedBuffer(bytes, 5, bytes.length - 5));

        assertThat(reader.bytesRead()).isEqualTo(bytes.length);
    }

    private static List<String> readInPieces(byte[] bytes, int piece) {
        Recorder recorder = new Recorder();
        ChunkReader reader = new ChunkReader(recorder, new byte[Player.HEADER_SCRATCH]);
        recorder.reader = reader;
        for (int at = 0; at < bytes.length; at += piece) {
            ByteBuf in = Unpooled.wrappedBuffer(bytes, at, Math.min(piece, bytes.length - at));
            reader.read(in);
            assertThat(in.isReadable()).isFalse();
        }
        return recorder.messages;
    }

    private static String seq(int from, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < from + n; i++) {
            sb.append(String.format("%02x", i & 0xFF));
        }
        return sb.toString();
    }

    /** Gathers each message's bytes and applies Set Chunk Size, as the RTMP player does. */
    private static final class Recorder implements ChunkReader.Sink {
        final List<String> messages = new ArrayList<>();
        final Map<Integer, ByteArrayOutputStream> partial = new HashMap<>();
        ChunkReader reader;

        @Override
        public void messageStart(ChunkReader.ChunkStream s) {
            assertThat(partial.containsKey(s.csid)).as("a message already in progress on %d", s.csid).isFalse();
            partial.put(s.csid, new ByteArrayOutputStream());
        }

        @Override
        public void messageBytes(ChunkReader.ChunkStream s, ByteBuf in, int at, int n) {
            byte[] b = new byte[n];
            in.getBytes(at, b);
            partial.get(s.csid).writeBytes(b);
        }

        @Override
        public void messageEnd(ChunkReader.ChunkStream s) {
            byte[] payload = partial.remove(s.csid).toByteArray();
            assertThat(payload).hasSize(s.length);
            if (s.typeId == 1) {
                reader.setChunkSize(Unpooled.wrappedBuffer(payload).getInt(0));
            }
            messages.add(s.csid + " " + s.typeId + " " + s.streamId + " " + ByteBufUtil.hexDump(payload));
        }
    }
}
