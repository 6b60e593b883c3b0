package io.tributary.bench.marker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.tributary.bench.publish.FlvFile;
import io.tributary.bench.publish.TestFlvFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameMarkerTest {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);
    private static final String UUID_HEX = "7b2f91c45e134ad8a63be2719c540fb7";

    @Test
    void findsMarkersInsideContainerBytesAndSkipsOnesABoundarySplit() {
        byte[] first = ByteBufUtil.getBytes(FrameMarker.mark(ALLOC, keyframe(), 41, 0x1234L));
        byte[] second = ByteBufUtil.getBytes(FrameMarker.mark(ALLOC, keyframe(), 42, 0x5678L));
        // Like an MPEG-TS segment: other bytes before, between and after the frames' bytes.
        byte[] segment = new byte[300 + first.length + second.length];
        System.arraycopy(first, 0, segment, 100, first.length);
        System.arraycopy(second, 0, segment, 200 + first.length, second.length);
        FrameMarker.Reading r = new FrameMarker.Reading();

        int at = FrameMarker.find(segment, 0);
        assertThat(at).isEqualTo(100 + 12);
        assertThat(FrameMarker.readPayload(segment, at, r)).isTrue();
        assertThat(r.seq()).isEqualTo(41);
        assertThat(r.sentNanos()).isEqualTo(0x1234L);
        at = FrameMarker.find(segment, at + 1);
        assertThat(FrameMarker.readPayload(segment, at, r)).isTrue();
        assertThat(r.seq()).isEqualTo(42);
        assertThat(FrameMarker.find(segment, at + 1)).isEqualTo(-1);

        // A packet header in the middle of the digits (a TS packet boundary): not a reading, no exception.
        segment[at + 16 + 3] = 0x47;
        assertThat(FrameMarker.readPayload(segment, at, r)).isFalse();
        // The UUID cut off at the end of the bytes.
        assertThat(FrameMarker.find(java.util.Arrays.copyOf(segment, at + 20), 0)).isEqualTo(100 + 12);
    }

    @Test
    void aMarkIsOneSeiNalUnitInFrontOfTheFramesOwn() {
        ByteBuf frame = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("2701000000" + "00000002419a"));

        ByteBuf marked = FrameMarker.mark(ALLOC, frame, 1, 0x0123456789abcdefL);

        assertThat(ByteBufUtil.hexDump(marked)).isEqualTo("2701000000" + "00000034" + "060530" + UUID_HEX
                + hex("0000000000000001") + hex("0123456789abcdef") + "80" + "00000002419a");
        assertThat(marked.readableBytes()).isEqualTo(frame.readableBytes() + FrameMarker.OVERHEAD);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "18000, 123456789012", "9223372036854775807, -1", "42, -9223372036854775808"})
    void whatIsMarkedReadsBackFromABufferAndFromAnArray(long seq, long sent) {
        ByteBuf marked = FrameMarker.mark(ALLOC, keyframe(), seq, sent);
        FrameMarker.Reading fromBuffer = new FrameMarker.Reading();
        FrameMarker.Reading fromArray = new FrameMarker.Reading();
        // The reader also finds a marker that does not sit at the start of the buffer.
        ByteBuf shifted = Unpooled.buffer().writeZero(7).writeBytes(marked.duplicate());
        byte[] head = new byte[3 + FrameMarker.HEAD_LENGTH];
        marked.getBytes(0, head, 3, FrameMarker.HEAD_LENGTH);

        assertThat(FrameMarker.read(shifted, 7, shifted.readableBytes() - 7, fromBuffer)).isTrue();
        assertThat(FrameMarker.read(head, 3, FrameMarker.HEAD_LENGTH, fromArray)).isTrue();

        assertThat(fromBuffer.seq()).isEqualTo(seq);
        assertThat(fromBuffer.sentNanos()).isEqualTo(sent);
        assertThat(fromArray.seq()).isEqualTo(seq);
        assertThat(fromArray.sentNanos()).isEqualTo(sent);
    }

    @Test
    void theSeiPayloadHasNoZeroByteSoAnnexBNeedsNoEmulationPrevention() {
        ByteBuf marked = FrameMarker.mark(ALLOC, keyframe(), 0, 0);

        for (int i = 9; i < FrameMarker.HEAD_LENGTH; i++) {
            assertThat(marked.getByte(i)).as("byte %d", i).isNotZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "an unmarked frame, 2701000000000000024199" + PAD,
        "a sequence header, 1700000000" + PAD,
        "HEVC, 2c01000000" + PAD,
        "a user data SEI with another UUID, 270100000000000034060530" + "7b2f91c45e134ad8a63be2719c540fb8"
            + "30303030303030303030303030303031" + "30303030303030303030303030303031" + "80",
        "an upper-case hex digit, 270100000000000034060530" + UUID_HEX
            + "3030303030303030303030303030303A" + "30303030303030303030303030303031" + "80",
    })
    void framesWithoutAMarkReadAsUnmarked(String what, String hex) {
        byte[] bytes = ByteBufUtil.decodeHexDump(hex);
        FrameMarker.Reading reading = new FrameMarker.Reading();

        assertThat(FrameMarker.read(Unpooled.wrappedBuffer(bytes), 0, bytes.length, reading)).isFalse();
        assertThat(FrameMarker.read(bytes, 0, bytes.length, reading)).isFalse();
    }

    @Test
    void aHeadCutShortReadsAsUnmarked() {
        ByteBuf marked = FrameMarker.mark(ALLOC, keyframe(), 5, 5);

        assertThat(FrameMarker.read(marked, 0, FrameMarker.HEAD_LENGTH - 1, new FrameMarker.Reading())).isFalse();
    }

    @Test
    void onlyH264CodedFramesCanBeMarked() {
        ByteBuf config = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("1700000000014d401e"));

        assertThatThrownBy(() -> FrameMarker.mark(ALLOC, config, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("H.264 coded frames");
    }

    @Test
    void ffmpegDecodesEveryFrameOfARealFileAfterMarkingWithoutAnError(@TempDir Path dir) throws IOException {
        FlvFile file = FlvFile.read(TestFlvFiles.h264Aac(dir, 2));
        Path marked = dir.resolve("marked.flv");
        ByteBuf out = Unpooled.buffer();
        out.writeBytes(new byte[] {'F', 'L', 'V', 1, 5, 0, 0, 0, 9}).writeInt(0);
        writeTag(out, file.videoConfig().type(), 0, file.videoConfig().body());
        long seq = 0;
        for (FlvFile.Tag tag : file.media()) {
            ByteBuf body = tag.isAvcCoded() ? FrameMarker.mark(ALLOC, tag.body(), seq++, System.nanoTime()) : tag.body();
            if (tag.isAvcCoded()) {
                FrameMarker.Reading reading = new FrameMarker.Reading();
                assertThat(FrameMarker.read(body, 0, body.readableBytes(), reading)).isTrue();
                assertThat(reading.seq()).isEqualTo(seq - 1);
            }
            writeTag(out, tag.type(), tag.timestamp(), body);
        }
        Files.write(marked, ByteBufUtil.getBytes(out));

        String errors = TestFlvFiles.run(List.of("ffmpeg", "-hide_banner", "-v", "error", "-nostdin", "-i",
                marked.toString(), "-map", "0:v", "-f", "framecrc", "-"));

        assertThat(errors.lines().filter(l -> !l.startsWith("#") && !l.startsWith("0,"))).isEmpty();
        assertThat(errors.lines().filter(l -> l.startsWith("0,"))).hasSize((int) seq);
    }

    private static final String PAD = "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";

    private static ByteBuf keyframe() {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("1701000000" + "0000000365888480"));
    }

    private static String hex(String ascii) {
        return ByteBufUtil.hexDump(ascii.getBytes(StandardCharsets.US_ASCII));
    }

    private static void writeTag(ByteBuf out, int type, long timestamp, ByteBuf body) {
        int size = body.readableBytes();
        out.writeByte(type).writeMedium(size).writeMedium((int) timestamp & 0xFFFFFF)
                .writeByte((int) (timestamp >>> 24)).writeMedium(0).writeBytes(body).writeInt(size + 11);
    }
}
