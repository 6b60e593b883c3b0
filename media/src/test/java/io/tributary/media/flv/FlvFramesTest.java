package io.tributary.media.flv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.media.Codec;
import io.tributary.media.Frame;
import io.tributary.media.Frame.Type;
import io.tributary.media.TrackKind;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * FLV tag bodies as RTMP publishers send them (legacy headers and Enhanced RTMP's FourCC headers) and
 * the frames they become. Vectors are hex; a FourCC is written in quotes ({@code 'avc1'}).
 */
class FlvFramesTest {

    /** 1280x720 High profile AVCDecoderConfigurationRecord, as ffmpeg's libx264 writes it. */
    static final String AVC_RECORD = "0164001FFFE1001A6764001FACD9405005BB0110000003001000000303C0F18319600100"
            + "0668EBE3CB22C0FDF8F800";

    record Case(String name, String body, Codec codec, Type type, boolean keyframe, int cts, int dataOffset) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> videoTags() {
        return Stream.of(
            // legacy header: [frameType:4][codecId:4], then for AVC/HEVC [packetType][cts:SI24]
            new Case("AVC sequence header", "17 00 000000" + AVC_RECORD, Codec.H264, Type.CONFIG, false, 0, 5),
            new Case("AVC keyframe, cts 67", "17 01 000043 00000005 6588840021", Codec.H264, Type.CODED, true, 67, 5),
            new Case("AVC inter frame, cts 0", "27 01 000000 00000004 419A2A11", Codec.H264, Type.CODED, false, 0, 5),
            new Case("AVC inter frame, cts -33", "27 01 FFFFDF 00000004 019E4974", Codec.H264, Type.CODED, false, -33,
                5),
            new Case("AVC disposable inter frame", "37 01 000021 00000003 01AE12", Codec.H264, Type.CODED, false, 33,
                5),
            new Case("AVC end of sequence", "17 02 000000", Codec.H264, Type.SEQUENCE_END, false, 0, 5),
            new Case("HEVC (legacy id 12) sequence header", "1C 00 000000 01016000000090000000000078F000FCFDF8F8",
                Codec.HEVC, Type.CONFIG, false, 0, 5),
            new Case("HEVC (legacy id 12) keyframe, cts 33", "1C 01 000021 00000006 2601AF0A6F4C", Codec.HEVC,
                Type.CODED, true, 33, 5),
            new Case("HEVC (legacy id 12) inter frame, cts -66", "2C 01 FFFFBE 00000003 0201D0", Codec.HEVC,
                Type.CODED, false, -66, 5),
            new Case("Sorenson H.263 keyframe passes through", "12 000084008A1F", Codec.FLV_LEGACY_VIDEO, Type.CODED,
                true, 0, 1),
            new Case("VP6 inter frame passes through", "24 00 46A3B2", Codec.FLV_LEGACY_VIDEO, Type.CODED, false, 0,
                1),
            new Case("screen video keyframe passes through", "13 40 00", Codec.FLV_LEGACY_VIDEO, Type.CODED, true, 0,
                1),
            new Case("AVC video info/command frame (type 5)", "57 00", Codec.H264, Type.INFO, false, 0, 1),
            new Case("VP6 video info/command frame (type 5)", "54 01", Codec.FLV_LEGACY_VIDEO, Type.INFO, false, 0, 1),
            // Enhanced RTMP: [isExHeader:1][frameType:3][packetType:4][FourCC], then per packet type fields
            new Case("avc1 SequenceStart", "90 'avc1'" + AVC_RECORD, Codec.H264, Type.CONFIG, false, 0, 5),
            new Case("avc1 CodedFrames keyframe, cts 40", "91 'avc1' 000028 00000002 6588", Codec.H264, Type.CODED,
                true, 40, 8),
            new Case("avc1 CodedFrames inter frame, cts -40", "A1 'avc1' FFFFD8 00000002 419A", Codec.H264,
                Type.CODED, false, -40, 8),
            new Case("avc1 CodedFramesX (cts implied zero)", "A3 'avc1' 00000002 419A", Codec.H264, Type.CODED, false,
                0, 5),
            new Case("avc1 SequenceEnd", "92 'avc1'", Codec.H264, Type.SEQUENCE_END, false, 0, 5),
            new Case("hvc1 SequenceStart", "90 'hvc1' 01016000000090000000000078F000FCFDF8F8", Codec.HEVC, Type.CONFIG,
                false, 0, 5),
            new Case("hvc1 CodedFrames keyframe, largest cts", "91 'hvc1' 7FFFFF 00000002 2601", Codec.HEVC,
                Type.CODED, true, 0x7FFFFF, 8),
            new Case("hvc1 CodedFrames, smallest cts", "A1 'hvc1' 800000 00000002 0201", Codec.HEVC, Type.CODED,
                false, -0x800000, 8),
            new Case("hvc1 CodedFramesX keyframe", "93 'hvc1' 00000002 2601", Codec.HEVC, Type.CODED, true, 0, 5),
            new Case("hvc1 Metadata (HDR colorInfo)", "94 'hvc1' 02 0009 636F6C6F72496E666F 03 000009",
                Codec.HEVC, Type.INFO, false, 0, 5),
            new Case("hvc1 Metadata with the command frame type", "D4 'hvc1' 02 0009 636F6C6F72496E666F", Codec.HEVC,
                Type.INFO, false, 0, 5),
            new Case("av01 SequenceStart", "90 'av01' 81000C000A0B0000002447FE", Codec.AV1, Type.CONFIG, false, 0, 5),
            new Case("av01 CodedFrames keyframe carries no cts", "91 'av01' 12000A0B0000002447FE", Codec.AV1,
                Type.CODED, true, 0, 5),
            new Case("av01 CodedFrames inter frame", "A1 'av01' 1200320F10", Codec.AV1, Type.CODED, false, 0, 5),
            new Case("av01 SequenceEnd", "92 'av01'", Codec.AV1, Type.SEQUENCE_END, false, 0, 5),
            new Case("av01 MPEG-2 TS SequenceStart passes through", "95 'av01' 0A", Codec.AV1, Type.INFO, false, 0, 5),
            new Case("vp09 SequenceStart", "90 'vp09' 010000000A1F0102020100", Codec.VP9, Type.CONFIG, false, 0, 5),
            new Case("vp09 CodedFrames keyframe", "91 'vp09' 824983420031F0", Codec.VP9, Type.CODED, true, 0, 5),
            new Case("vp09 CodedFramesX inter frame", "A3 'vp09' 8601", Codec.VP9, Type.CODED, false, 0, 5));
    }

    static Stream<Case> audioTags() {
        return Stream.of(
            // legacy header: [soundFormat:4][rate:2][size:1][type:1]; AAC adds [packetType]
            new Case("AAC sequence header (AudioSpecificConfig)", "AF 00 1210", Codec.AAC, Type.CONFIG, false, 0, 2),
            new Case("AAC raw frame", "AF 01 211A4C", Codec.AAC, Type.CODED, false, 0, 2),
            new Case("AAC raw frame, mono flags", "AE 01 0102", Codec.AAC, Type.CODED, false, 0, 2),
            new Case("MP3", "2F FFFB9064", Codec.MP3, Type.CODED, false, 0, 1),
            new Case("MP3 8 kHz", "E2 FFF3A0C4", Codec.MP3, Type.CODED, false, 0, 1),
            new Case("linear PCM, platform endian", "0E 00010002", Codec.FLV_LEGACY_AUDIO, Type.CODED, false, 0, 1),
            new Case("linear PCM, little endian", "3F 00010002", Codec.FLV_LEGACY_AUDIO, Type.CODED, false, 0, 1),
            new Case("ADPCM", "1E 4455", Codec.FLV_LEGACY_AUDIO, Type.CODED, false, 0, 1),
            new Case("Nellymoser", "6A 0102", Codec.FLV_LEGACY_AUDIO, Type.CODED, false, 0, 1),
            new Case("G.711 A-law", "72 D5D5", Codec.FLV_LEGACY_AUDIO, Type.CODED, false, 0, 1),
            new Case("G.711 mu-law", "82 FFFF", Codec.FLV_LEGACY_AUDIO, Type.CODED, false, 0, 1),
            new Case("Speex", "B2 3601", Codec.FLV_LEGACY_AUDIO, Type.CODED, false, 0, 1),
            // Enhanced RTMP audio: [soundFormat=9:4][packetType:4][FourCC]
            new Case("Opus SequenceStart (OpusHead)", "90 'Opus' 4F707573486561640102380180BB000000000000", Codec.OPUS,
                Type.CONFIG, false, 0, 5),
            new Case("Opus CodedFrames", "91 'Opus' FCFFFE", Codec.OPUS, Type.CODED, false, 0, 5),
            new Case("Opus SequenceEnd", "92 'Opus'", Codec.OPUS, Type.SEQUENCE_END, false, 0, 5),
            new Case("Opus MultichannelConfig passes through", "94 'Opus' 0102", Codec.OPUS, Type.INFO, false, 0, 5),
            new Case("mp4a SequenceStart", "90 'mp4a' 1210", Codec.AAC, Type.CONFIG, false, 0, 5),
            new Case("mp4a CodedFrames", "91 'mp4a' 211A4C", Codec.AAC, Type.CODED, false, 0, 5),
            new Case(".mp3 CodedFrames", "91 '.mp3' FFFB9064", Codec.MP3, Type.CODED, false, 0, 5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("videoTags")
    void readsAVideoTagHeader(Case c) {
        assertParses(c, FlvFrames::video, TrackKind.VIDEO);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("audioTags")
    void readsAnAudioTagHeader(Case c) {
        assertParses(c, FlvFrames::audio, TrackKind.AUDIO);
    }

    private static void assertParses(Case c, BiFunction<Long, ByteBuf, Frame> parser, TrackKind kind) {
        ByteBuf body = bytes(c.body());
        byte[] expectedData = ByteBufUtil.getBytes(body, c.dataOffset(), body.readableBytes() - c.dataOffset());

        Frame frame = parser.apply(1234L, body);

        try {
            assertThat(frame.codec()).as("codec").isEqualTo(c.codec());
            assertThat(frame.kind()).as("kind").isEqualTo(kind);
            assertThat(frame.type()).as("type").isEqualTo(c.type());
            assertThat(frame.isKeyframe()).as("keyframe").isEqualTo(c.keyframe());
            assertThat(frame.cts()).as("cts").isEqualTo(c.cts());
            assertThat(frame.dts()).as("dts").isEqualTo(1234L);
            assertThat(frame.pts()).as("pts").isEqualTo(1234L + c.cts());
            assertThat(frame.body()).as("the body is kept, not copied").isSameAs(body);
            assertThat(body.readerIndex()).as("reader index").isZero();
            assertThat(ByteBufUtil.getBytes(frame.data())).as("codec data").isEqualTo(expectedData);
            assertThat(frame.refCnt()).isEqualTo(1);
        } finally {
            frame.release();
        }
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void readsFromTheReaderIndexOfASlicedMessagePayload() {
        ByteBuf message = bytes("FFFFFF 17 01 000010 00000002 6588");
        ByteBuf payload = message.retainedSlice(3, message.readableBytes() - 3);
        message.release();

        Frame frame = FlvFrames.video(40, payload);

        assertThat(frame.isKeyframe()).isTrue();
        assertThat(frame.cts()).isEqualTo(16);
        assertThat(ByteBufUtil.hexDump(frame.data())).isEqualTo("000000026588");
        frame.release();
        assertThat(message.refCnt()).isZero();
    }

    @Test
    void scriptDataIsWrappedAsAnAmf0InfoFrame() {
        ByteBuf body = bytes("02 000A 6F6E4D65746144617461 08 00000000 000009");

        Frame frame = FlvFrames.data(500, body);

        assertThat(frame.codec()).isEqualTo(Codec.AMF0);
        assertThat(frame.kind()).isEqualTo(TrackKind.DATA);
        assertThat(frame.type()).isEqualTo(Type.INFO);
        assertThat(frame.data().readableBytes()).isEqualTo(body.readableBytes());
        frame.release();
        assertThat(body.refCnt()).isZero();
    }

    static Stream<String[]> malformedVideo() {
        return Stream.of(
            new String[] {"empty", "", "empty video tag"},
            new String[] {"AVC header cut after the packet type", "17 01", "shorter than its 5-byte header"},
            new String[] {"AVC header cut inside the cts", "27 01 0000", "shorter than its 5-byte header"},
            new String[] {"legacy HEVC header cut", "1C 00 00", "shorter than its 5-byte header"},
            new String[] {"unknown AVC packet type", "17 03 000000 00", "unknown AVC packet type 3"},
            new String[] {"enhanced header cut inside the FourCC", "90 6176", "shorter than its FourCC header"},
            new String[] {"enhanced AVC coded frame cut inside the cts", "91 'avc1' 0000", "shorter than its header"},
            new String[] {"enhanced HEVC coded frame without cts", "91 'hvc1'", "shorter than its header"},
            new String[] {"unsupported FourCC", "91 'vp08' 00", "unsupported video FourCC vp08"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedVideo")
    void aMalformedVideoTagIsRejectedAndItsBodyReleased(String name, String hex, String message) {
        ByteBuf body = bytes(hex);

        assertThatThrownBy(() -> FlvFrames.video(0, body))
                .isInstanceOf(FlvFormatException.class)
                .hasMessageContaining(message);
        assertThat(body.refCnt()).isZero();
    }

    static Stream<String[]> malformedAudio() {
        return Stream.of(
            new String[] {"empty", "", "empty audio tag"},
            new String[] {"AAC without its packet type", "AF", "shorter than its 2-byte header"},
            new String[] {"unknown AAC packet type", "AF 02 00", "unknown AAC packet type 2"},
            new String[] {"enhanced header cut inside the FourCC", "91 4F7075", "shorter than its FourCC header"});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedAudio")
    void aMalformedAudioTagIsRejectedAndItsBodyReleased(String name, String hex, String message) {
        ByteBuf body = bytes(hex);

        assertThatThrownBy(() -> FlvFrames.audio(0, body))
                .isInstanceOf(FlvFormatException.class)
                .hasMessageContaining(message);
        assertThat(body.refCnt()).isZero();
    }

    /**
     * Enhanced RTMP: "if (videoPacketType != Metadata && videoFrameType == Command) videoCommand = UI8" and
     * no FourCC follows; the tag is two bytes. It is information, not an error.
     */
    @Test
    void anEnhancedVideoCommandFrameHasNoFourCcAndPassesThrough() {
        ByteBuf body = bytes("D0 00"); // command frame, StartSeek

        Throwable thrown = catchThrowable(() -> {
            Frame frame = FlvFrames.video(0, body);
            try {
                assertThat(frame.kind()).isEqualTo(TrackKind.VIDEO);
                assertThat(frame.type()).isEqualTo(Type.INFO);
            } finally {
                frame.release();
            }
        });

        assertThat(body.refCnt()).isZero();
        assertThat(thrown).as("a two-byte enhanced command frame").isNull();
    }

    /** FlvFrames says multitrack packets are "carried through untouched"; their FourCC comes one byte later. */
    @Test
    void anEnhancedMultitrackVideoTagPassesThrough() {
        // keyframe + Multitrack(6); OneTrack(0) + CodedFrames(1); 'avc1'; trackId 0; cts 0; one NAL unit
        ByteBuf body = bytes("96 01 'avc1' 00 000000 00000002 6588");

        Throwable thrown = catchThrowable(() -> {
            Frame frame = FlvFrames.video(0, body);
            try {
                assertThat(frame.kind()).isEqualTo(TrackKind.VIDEO);
                assertThat(frame.type()).isEqualTo(Type.INFO);
            } finally {
                frame.release();
            }
        });

        assertThat(body.refCnt()).isZero();
        assertThat(thrown).as("a multitrack tag").isNull();
    }

    @Test
    void aFrameOnAnotherTimeBaseSharesItsBody() {
        Frame frame = FlvFrames.video(1000, bytes("27 01 000021 00000001 41"));

        Frame moved = frame.withDts(40);

        assertThat(frame.withDts(1000)).isSameAs(frame);
        assertThat(moved.body()).isSameAs(frame.body());
        assertThat(moved.refCnt()).as("the reference is taken over, not added").isEqualTo(1);
        assertThat(moved.dts()).isEqualTo(40);
        assertThat(moved.pts()).isEqualTo(73);
        assertThat(moved.cts()).isEqualTo(33);
        assertThat(moved.codec()).isEqualTo(Codec.H264);
        assertThat(moved).hasToString("h264 CODED dts=40 cts=33 size=10");
        moved.retain();
        assertThat(frame.refCnt()).isEqualTo(2);
        assertThat(moved.release()).isFalse();
        assertThat(frame.release()).isTrue();
    }

    @Test
    void aFrameRefusesADataOffsetOutsideItsBody() {
        ByteBuf body = bytes("AF 01");

        assertThatThrownBy(() -> new Frame(Codec.AAC, Type.CODED, false, 0, 0, body, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("data offset 3 outside a body of 2 bytes");
        body.release();
    }

    /** Hex with whitespace for the eye and FourCCs in quotes. */
    static ByteBuf bytes(String vector) {
        Matcher m = Pattern.compile("'(....)'").matcher(vector);
        StringBuilder hex = new StringBuilder();
        while (m.find()) {
            StringBuilder code = new StringBuilder();
            for (char ch : m.group(1).toCharArray()) {
                code.append(String.format("%02x", (int) ch));
            }
            m.appendReplacement(hex, code.toString());
        }
        m.appendTail(hex);
        byte[] bytes = ByteBufUtil.decodeHexDump(hex.toString().replaceAll("\\s+", ""));
        // Unpooled.buffer, not wrappedBuffer: an empty wrapped buffer is the shared one, which ignores release()
        return Unpooled.buffer(bytes.length).writeBytes(bytes);
    }
}
