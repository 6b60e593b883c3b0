package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tributary.media.Frame;
import io.tributary.media.codec.AvcConfig;
import java.util.List;

/**
 * One H.264 picture as a video PES: the PES header, an access unit delimiter, the SPS and PPS in front
 * of a keyframe, then the frame's NAL units with their AVCC length prefixes turned into Annex-B start
 * codes (ITU-T H.264 Annex B, as 13818-1 2.14 carries it). Apple's and most hardware demuxers find
 * access units by the delimiter and need the parameter sets in-band to start decoding at a segment.
 *
 * <p>The frame's NAL units are not copied into an intermediate buffer: the length prefixes are read
 * as the packets are filled, so each byte of the picture is copied once, into the segment. Only the
 * few bytes in front of them (header, delimiter, parameter sets) go through a reused scratch buffer.
 * One instance per muxer, reused for every picture.
 */
final class AnnexBAccessUnit implements PesPayload {
    static final int NAL_IDR = 5;
    static final int NAL_SPS = 7;
    static final int NAL_PPS = 8;
    static final int NAL_AUD = 9;

    private static final int START_CODE_SIZE = 4;
    /** nal_unit_type 9, primary_pic_type 7 (any slice type), then the RBSP stop bit. */
    private static final byte[] AUD = {0, 0, 0, 1, NAL_AUD, (byte) 0xF0};

    private final ByteBuf head = Unpooled.buffer(256);
    private ByteBuf data;
    private int lengthSize;
    private boolean randomAccess;

    /** Where the next length prefix of the frame's NAL units is. */
    private int next;
    /** Where in the current NAL unit the next byte is, and how many are left of it. */
    private int nalAt;
    private int nalLeft;
    private int startCodeLeft;
    private int remaining;

    /**
     * Takes the next picture. The whole frame is checked before anything is written, so that a malformed
     * one is refused without leaving half a PES in the segment.
     *
     * @throws IllegalArgumentException when a NAL unit's length runs past the end of the frame
     */
    void prepare(Frame frame, AvcConfig config, long pts, long dts) {
        ByteBuf bytes = frame.data();
        int size = bytes.readableBytes();
        int base = bytes.readerIndex();
        int ls = config.nalLengthSize();
        int firstType = -1;
        int firstAt = 0;
        int firstLength = 0;
        boolean sps = false;
        boolean pps = false;
        boolean idr = false;
        int annexB = 0;
        for (int at = 0; at < size; ) {
            if (size - at < ls) {
                throw malformed(frame, size - at + " stray byte(s) after the last NAL unit", size);
            }
            int length = readLength(bytes, base + at, ls);
            if (length > size - at - ls) {
                throw malformed(frame, "a NAL unit of " + length + " bytes at offset " + at
                        + " runs past the end", size);
            }
            if (length > 0) {
                int type = bytes.getByte(base + at + ls) & 0x1F;
                if (firstType < 0) {
                    firstType = type;
                    firstAt = at + ls;
                    firstLength = length;
                }
                sps |= type == NAL_SPS;
                pps |= type == NAL_PPS;
                idr |= type == NAL_IDR;
                annexB += START_CODE_SIZE + length;
            }
            at += ls + length;
        }
        if (firstType < 0) {
            throw malformed(frame, "it holds no NAL unit", size);
        }
        randomAccess = frame.isKeyframe() || idr;

        this.data = bytes;
        this.lengthSize = ls;
        next = base;
        nalLeft = 0;
        startCodeLeft = 0;

        head.clear();
        int headerSize = PesHeader.size(pts, dts);
        head.writerIndex(headerSize); // the PES header goes in front once the payload length is known
        if (firstType == NAL_AUD) {
            head.writeBytes(AUD, 0, START_CODE_SIZE);
            head.writeBytes(bytes, base + firstAt, firstLength);
            annexB -= START_CODE_SIZE + firstLength;
            next = base + firstAt + firstLength;
        } else {
            head.writeBytes(AUD);
        }
        if (randomAccess && !(sps && pps)) {
            writeParameterSets(config.sps());
            writeParameterSets(config.pps());
        }
        int payload = head.writerIndex() - headerSize + annexB;
        int end = head.writerIndex();
        head.writerIndex(0);
        PesHeader.write(head, PesHeader.VIDEO_STREAM_ID, payload, pts, dts);
        head.writerIndex(end);
        remaining = end + annexB;
    }

    /** Whether a decoder can start here: a keyframe, or a picture that carries an IDR slice. */
    boolean isRandomAccess() {
        return randomAccess;
    }

    @Override
    public int remaining() {
        return remaining;
    }

    @Override
    public void writeTo(ByteBuf out, int n) {
        remaining -= n;
        while (n > 0) {
            int k;
            if (head.isReadable()) {
                k = Math.min(n, head.readableBytes());
                out.writeBytes(head, k);
            } else if (startCodeLeft > 0) {
                k = 1;
                out.writeByte(--startCodeLeft == 0 ? 1 : 0);
            } else if (nalLeft > 0) {
                k = Math.min(n, nalLeft);
                out.writeBytes(data, nalAt, k);
                nalAt += k;
                nalLeft -= k;
            } else {
                int length = readLength(data, next, lengthSize);
                nalAt = next + lengthSize;
                next = nalAt + length;
                nalLeft = length;
                startCodeLeft = length > 0 ? START_CODE_SIZE : 0;
                continue;
            }
            n -= k;
        }
        if (remaining == 0) {
            data = null; // the frame belongs to the caller again
        }
    }

    private void writeParameterSets(List<byte[]> nals) {
        for (byte[] nal : nals) {
            head.writeBytes(AUD, 0, START_CODE_SIZE);
            head.writeBytes(nal);
        }
    }

    private static int readLength(ByteBuf bytes, int at, int lengthSize) {
        return switch (lengthSize) {
            case 1 -> bytes.getUnsignedByte(at);
            case 2 -> bytes.getUnsignedShort(at);
            default -> {
                int length = bytes.getInt(at);
                yield length < 0 ? Integer.MAX_VALUE : length;
            }
        };
    }

    private static IllegalArgumentException malformed(Frame frame, String what, int size) {
        return new IllegalArgumentException("H.264 frame at dts " + frame.dts() + " (" + size + " bytes) is not "
                + "AVCC with the configured NAL length size: " + what);
    }
}
