package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;

/** PES packet headers (ISO/IEC 13818-1 2.4.3.6) and the 33-bit 90 kHz clock their timestamps count in. */
final class PesHeader {
    static final int VIDEO_STREAM_ID = 0xE0;
    static final int AUDIO_STREAM_ID = 0xC0;
    /** Start code, stream id, length, two flag bytes, header data length and a PTS. */
    static final int PTS_ONLY_SIZE = 14;
    /** As {@link #PTS_ONLY_SIZE} plus a DTS. */
    static final int PTS_DTS_SIZE = 19;

    private static final long CLOCK_MASK = (1L << 33) - 1;
    private static final int MAX_PACKET_LENGTH = 0xFFFF;
    /** Header bytes after PES_packet_length that count towards it: the two flag bytes and the data length. */
    private static final int FLAGS_SIZE = 3;

    private PesHeader() {
    }

    /** A millisecond timestamp on the 90 kHz clock, wrapped to 33 bits as the stream carries it. */
    static long clock90k(long millis) {
        return millis * 90 & CLOCK_MASK;
    }

    /** Wraps a 90 kHz value computed by arithmetic (possibly negative, possibly past 2^33) to 33 bits. */
    static long wrap(long ticks) {
        return ticks & CLOCK_MASK;
    }

    static int size(long pts, long dts) {
        return pts == dts ? PTS_ONLY_SIZE : PTS_DTS_SIZE;
    }

    /**
     * Writes a header for {@code payloadLength} bytes of elementary stream data that follow it, with a DTS
     * only when it differs from the PTS. A packet too long for PES_packet_length gets 0 (unbounded),
     * which 13818-1 allows for video only.
     */
    static void write(ByteBuf out, int streamId, int payloadLength, long pts, long dts) {
        boolean withDts = pts != dts;
        int headerDataLength = withDts ? 10 : 5;
        int packetLength = FLAGS_SIZE + headerDataLength + payloadLength;
        if (packetLength > MAX_PACKET_LENGTH) {
            if (streamId != VIDEO_STREAM_ID) {
                throw new IllegalArgumentException("an audio PES cannot hold " + payloadLength + " bytes");
            }
            packetLength = 0;
        }
        out.writeMedium(0x000001);
        out.writeByte(streamId);
        out.writeShort(packetLength);
        out.writeByte(0x84); // '10', not scrambled, no priority, data_alignment_indicator: an access unit starts here
        out.writeByte(withDts ? 0xC0 : 0x80);
        out.writeByte(headerDataLength);
        writeTimestamp(out, withDts ? 0x3 : 0x2, pts);
        if (withDts) {
            writeTimestamp(out, 0x1, dts);
        }
    }

    /** '4-bit prefix, 3 bits, marker, 15 bits, marker, 15 bits, marker'. */
    private static void writeTimestamp(ByteBuf out, int prefix, long ts) {
        out.writeByte(prefix << 4 | (int) (ts >> 29) & 0x0E | 1);
        out.writeByte((int) (ts >> 22));
        out.writeByte((int) (ts >> 14) & 0xFE | 1);
        out.writeByte((int) (ts >> 7));
        out.writeByte((int) (ts << 1) & 0xFE | 1);
    }
}
