package io.tributary.hls.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Segments as an HLS segmenter makes them with a {@link TsMuxer} (tables, frames, flush), and what is in them. */
final class TsSegments {

    private TsSegments() {
    }

    static byte[] segment(TsMuxer muxer, List<Frame> frames) {
        ByteBuf out = Unpooled.buffer();
        muxer.writeTables(out);
        frames.forEach(f -> muxer.write(f, out));
        muxer.flush(out);
        return ByteBufUtil.getBytes(out);
    }

    /**
     * Cuts frames in decode order into segments that start at a keyframe at least {@code millis} after
     * the start of the previous segment (audio-only streams are cut at any frame).
     */
    static List<List<Frame>> cut(List<Frame> frames, long millis) {
        boolean video = frames.stream().anyMatch(Frame::isVideo);
        List<List<Frame>> segments = new ArrayList<>();
        List<Frame> current = new ArrayList<>();
        long start = frames.get(0).dts();
        for (Frame f : frames) {
            boolean boundary = video ? f.isVideo() && f.isKeyframe() : true;
            if (!current.isEmpty() && boundary && f.dts() - start >= millis) {
                segments.add(current);
                current = new ArrayList<>();
                start = f.dts();
            }
            current.add(f);
        }
        segments.add(current);
        return segments;
    }

    /** The NAL units of an Annex-B stream that uses 4-byte start codes only, as this muxer writes. */
    static List<byte[]> nalUnits(byte[] annexB) {
        List<byte[]> nals = new ArrayList<>();
        int start = -1;
        for (int i = 0; i + 3 < annexB.length; i++) {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 0 && annexB[i + 3] == 1) {
                if (start >= 0) {
                    nals.add(Arrays.copyOfRange(annexB, start, i));
                } else if (i != 0) {
                    throw new AssertionError("Annex-B data does not start with a start code");
                }
                start = i + 4;
                i += 3;
            }
        }
        if (start < 0) {
            throw new AssertionError("no start code in " + annexB.length + " bytes");
        }
        nals.add(Arrays.copyOfRange(annexB, start, annexB.length));
        return nals;
    }

    /** The NAL units of an AVCC frame (length prefixes of {@code lengthSize} bytes). */
    static List<byte[]> nalUnits(Frame frame, int lengthSize) {
        byte[] b = ByteBufUtil.getBytes(frame.data());
        List<byte[]> nals = new ArrayList<>();
        for (int at = 0; at < b.length; ) {
            int length = 0;
            for (int i = 0; i < lengthSize; i++) {
                length = length << 8 | b[at + i] & 0xFF;
            }
            at += lengthSize;
            nals.add(Arrays.copyOfRange(b, at, at + length));
            at += length;
        }
        return nals;
    }

    /** Splits an audio PES into its ADTS frames, checking each header against {@code config}. */
    static List<byte[]> adtsFrames(byte[] data, AacConfig config) {
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        while (at < data.length) {
            byte[] header = Arrays.copyOfRange(data, at, at + 7);
            assertThat(header[0] & 0xFF).as("syncword").isEqualTo(0xFF);
            assertThat(header[1] & 0xF7).as("syncword, layer 0, no CRC").isEqualTo(0xF1);
            AacConfig described = AacConfig.fromAdts(header);
            assertThat(described.objectType()).as("profile").isEqualTo(config.objectType());
            assertThat(described.sampleRate()).as("sampling frequency").isEqualTo(config.sampleRate());
            assertThat(described.channelConfig()).as("channel configuration").isEqualTo(config.channelConfig());
            int length = (header[3] & 3) << 11 | (header[4] & 0xFF) << 3 | (header[5] & 0xFF) >> 5;
            assertThat(at + length).as("aac_frame_length fits the PES").isLessThanOrEqualTo(data.length);
            frames.add(Arrays.copyOfRange(data, at + 7, at + length));
            at += length;
        }
        return frames;
    }

    static String hex(byte[] b) {
        return ByteBufUtil.hexDump(b);
    }

    static List<String> hex(List<byte[]> nals) {
        return nals.stream().map(TsSegments::hex).toList();
    }
}
