package io.tributary.rtmp.chunk;

import static io.tributary.rtmp.chunk.Chunks.hex;
import static io.tributary.rtmp.chunk.Chunks.repeat;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.rtmp.chunk.Chunks.Decoded;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkWriterTest {

    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private final ChunkWriter writer = new ChunkWriter();

    @Test
    void writesTheSmallestHeaderEachMessageAllows() {
        assertThat(headerLength(4, 8, 1, 0, 10)).as("first message on a chunk stream: type 0").isEqualTo(12);
        assertThat(headerLength(4, 8, 1, 23, 10)).as("delta not yet stated: type 2").isEqualTo(4);
        assertThat(headerLength(4, 8, 1, 46, 10)).as("same length, type and delta: type 3").isEqualTo(1);
        assertThat(headerLength(4, 8, 1, 69, 10)).as("and again").isEqualTo(1);
        assertThat(headerLength(4, 8, 1, 92, 11)).as("new length: type 1").isEqualTo(8);
        assertThat(headerLength(4, 9, 1, 115, 11)).as("new type: type 1").isEqualTo(8);
        assertThat(headerLength(4, 9, 1, 100, 11)).as("time went backwards: type 0").isEqualTo(12);
        assertThat(headerLength(4, 9, 2, 200, 11)).as("new message stream: type 0").isEqualTo(12);
        assertThat(headerLength(100, 9, 1, 0, 11)).as("2-byte basic header").isEqualTo(13);
        assertThat(headerLength(400, 9, 1, 0, 11)).as("3-byte basic header").isEqualTo(14);
        assertThat(headerLength(5, 9, 1, 0x01000000L, 11)).as("extended timestamp").isEqualTo(16);
    }

    private int headerLength(int csid, int typeId, int streamId, long timestamp, int length) {
        List<Object> out = new ArrayList<>();
        ByteBuf payload = Unpooled.wrappedBuffer(new byte[length]);
        writer.write(ALLOC, csid, typeId, streamId, timestamp, payload, out);
        assertThat(out).hasSize(2);
        int headerLength = ((ByteBuf) out.get(0)).readableBytes();
        out.forEach(o -> ((ByteBuf) o).release());
        payload.release();
        return headerLength;
    }

    @Test
    void writesTheSameBytesTheDecoderVectorsDescribe() {
        assertWrites(3, 20, 0, 0, "0102030405", "03 000000 000005 14 00000000 0102030405");
        // Continuation chunks repeat the extended timestamp, as ffmpeg expects.
        assertWrites(3, 9, 1, 0x01000000L, repeat("AB", 128) + repeat("CD", 72),
                "03 FFFFFF 0000C8 09 01000000 01000000" + repeat("AB", 128) + "C3 01000000" + repeat("CD", 72));
        assertWrites(80, 8, 1, 1000, "AABBCC", "00 10 0003E8 000003 08 01000000 AABBCC");
        assertWrites(4724, 8, 1, 1000, "AABBCC", "01 34 12 0003E8 000003 08 01000000 AABBCC");
    }

    private void assertWrites(int csid, int typeId, int streamId, long timestamp, String payloadHex, String expected) {
        List<Object> out = new ArrayList<>();
        ByteBuf payload = Unpooled.wrappedBuffer(hex(payloadHex));
        writer.write(ALLOC, csid, typeId, streamId, timestamp, payload, out);
        payload.release();
        assertThat(ByteBufUtil.hexDump(Chunks.concat(out))).isEqualToIgnoringCase(expected.replace(" ", ""));
    }

    @Test
    void slicesThePayloadWithoutConsumingOrCopyingIt() {
        writer.setChunkSize(100);
        ByteBuf payload = Unpooled.buffer(250).writeZero(250);
        List<Object> out = new ArrayList<>();

        writer.write(ALLOC, 6, 9, 1, 0, payload, out);

        assertThat(out).hasSize(6);
        assertThat(payload.readerIndex()).isZero();
        assertThat(payload.refCnt()).as("one reference per payload slice").isEqualTo(4);
        payload.setByte(100, 42);
        assertThat(((ByteBuf) out.get(3)).getByte(0)).as("slices share the payload's memory").isEqualTo((byte) 42);
        out.forEach(o -> ((ByteBuf) o).release());
        assertThat(payload.refCnt()).isEqualTo(1);
        payload.release();
    }

    @ParameterizedTest(name = "chunk size {0}")
    @ValueSource(ints = {1, 128, 4096, 60000})
    void roundTripsRandomMessagesThroughTheDecoder(int chunkSize) {
        Random random = new Random(chunkSize);
        List<Object> out = new ArrayList<>();
        List<Decoded> expected = new ArrayList<>();
        write(2, MessageType.SET_CHUNK_SIZE, 0, 0, Unpooled.buffer(4).writeInt(chunkSize), out, expected);
        writer.setChunkSize(chunkSize);

        int[] csids = {3, 4, 5, 63, 64, 319, 320, 65599};
        long[] clocks = {0, 1000, 0xFFFFF0L, 0xFFFFFFF0L, 0x7FFFFFFFL, 5, 0xFFFFFEL, 0};
        int[] lengths = new int[csids.length];
        long[] deltas = new long[csids.length];
        for (int i = 0; i < 400; i++) {
            int s = random.nextInt(csids.length);
            if (random.nextInt(3) > 0) {
                // Mostly steady streams, which is what lets the writer use type 2 and 3 headers.
                clocks[s] = (clocks[s] + deltas[s]) & 0xFFFFFFFFL;
            } else {
                lengths[s] = random.nextInt(10) == 0 ? random.nextInt(70_000) : random.nextInt(300);
                deltas[s] = switch (random.nextInt(5)) {
                    case 0 -> 0;
                    case 1 -> 0xFFFFFF + random.nextInt(3); // right at the extended-timestamp boundary
                    case 2 -> 0x01000000L + random.nextInt(1 << 20);
                    default -> random.nextInt(100);
                };
                clocks[s] = random.nextInt(20) == 0 ? random.nextInt(1000) : (clocks[s] + deltas[s]) & 0xFFFFFFFFL;
            }
            byte[] body = new byte[lengths[s]];
            random.nextBytes(body);
            int typeId = s % 2 == 0 ? MessageType.AUDIO : MessageType.VIDEO;
            int streamId = random.nextInt(30) == 0 ? 2 : 1;
            write(csids[s], typeId, streamId, clocks[s], Unpooled.wrappedBuffer(body), out, expected);
        }
        byte[] stream = Chunks.concat(out);

        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(1 << 20, 16));
        for (int offset = 0; offset < stream.length; ) {
            int n = Math.min(stream.length - offset, 1 + random.nextInt(5000));
            channel.writeInbound(Unpooled.wrappedBuffer(stream, offset, n));
            offset += n;
        }
        assertThat(Chunks.readAll(channel)).isEqualTo(expected);
        assertThat(channel.finish()).isFalse();
    }

    private void write(int csid, int typeId, int streamId, long timestamp, ByteBuf payload, List<Object> out,
                       List<Decoded> expected) {
        expected.add(new Decoded(csid, typeId, streamId, timestamp, ByteBufUtil.hexDump(payload)));
        writer.write(ALLOC, csid, typeId, streamId, timestamp, payload, out);
        payload.release();
    }
}
