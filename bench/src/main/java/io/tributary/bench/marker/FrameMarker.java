package io.tributary.bench.marker;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The mark a benchmark publisher puts on every H.264 frame so that a player can tell which frame it got
 * and when it was sent: one SEI NAL unit, inserted as the first NAL unit of the coded frame.
 *
 * <p>Layout of a marked FLV video tag body ({@code [frame type|codec 7][AVCPacketType 1][cts 3 bytes]}
 * then NAL units, each behind a 4-byte big-endian length):
 * <pre>
 *  0      frame type | codec id 7
 *  1      AVCPacketType 1 (coded frame)
 *  2..4   composition time
 *  5..8   00 00 00 34: the SEI NAL unit is 52 bytes
 *  9      06: NAL header, SEI
 *  10     05: payloadType user_data_unregistered
 *  11     30: payloadSize 48
 *  12..27 the marker's UUID (no 0x00 byte)
 *  28..43 the sequence number, 16 lowercase hex digits
 *  44..59 the send time ({@link System#nanoTime()}), 16 lowercase hex digits
 *  60     80: rbsp trailing bits
 *  61..   the frame's own NAL units
 * </pre>
 * The payload is ASCII and the UUID has no zero byte, so the SEI never holds {@code 00 00}: a muxer that
 * turns the frame into Annex-B later needs no emulation prevention for it.
 *
 * <p>Reading never allocates: from a {@link ByteBuf} at an index, or from a small scratch array when a
 * read boundary split the first bytes of the body.
 */
public final class FrameMarker {

    /** Bytes the marker adds to a tag body: the length field and the SEI NAL unit. */
    public static final int OVERHEAD = 4 + 52;
    /** Bytes at the start of a tag body needed to read its marker. */
    public static final int HEAD_LENGTH = 61;

    private static final int AVC_HEADER = 5;
    private static final int NAL_LENGTH = 52;
    private static final int NAL_SEI = 0x06;
    private static final int USER_DATA_UNREGISTERED = 5;
    private static final int PAYLOAD_SIZE = 48;
    private static final int RBSP_TRAILING = 0x80;
    private static final int UUID_AT = 12;
    private static final int SEQ_AT = 28;
    private static final int SENT_AT = 44;
    private static final int TRAILING_AT = 60;
    private static final byte[] UUID = {
        (byte) 0x7B, (byte) 0x2F, (byte) 0x91, (byte) 0xC4, (byte) 0x5E, (byte) 0x13, (byte) 0x4A, (byte) 0xD8,
        (byte) 0xA6, (byte) 0x3B, (byte) 0xE2, (byte) 0x71, (byte) 0x9C, (byte) 0x54, (byte) 0x0F, (byte) 0xB7};
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FrameMarker() {
    }

    /** The sequence number and send time read from a marked frame; one per reader, reused for every frame. */
    public static final class Reading {
        private long seq;
        private long sentNanos;

        public long seq() {
            return seq;
        }

        public long sentNanos() {
            return sentNanos;
        }
    }

    /**
     * A copy of an H.264 coded frame's tag body with the marker in front of its NAL units. {@code body} is
     * not consumed; the caller keeps its reference.
     *
     * @throws IllegalArgumentException when {@code body} is not an AVC coded frame (codec 7, AVCPacketType 1)
     */
    public static ByteBuf mark(ByteBufAllocator alloc, ByteBuf body, long seq, long sentNanos) {
        int at = body.readerIndex();
        int length = body.readableBytes();
        if (length < AVC_HEADER || (body.getUnsignedByte(at) & 0x8F) != 7 || body.getUnsignedByte(at + 1) != 1) {
            throw new IllegalArgumentException("only H.264 coded frames (codec 7, AVCPacketType 1) can be marked");
        }
        ByteBuf out = alloc.buffer(length + OVERHEAD);
        out.writeBytes(body, at, AVC_HEADER);
        out.writeInt(NAL_LENGTH);
        out.writeByte(NAL_SEI).writeByte(USER_DATA_UNREGISTERED).writeByte(PAYLOAD_SIZE);
        out.writeBytes(UUID);
        writeHex(out, seq);
        writeHex(out, sentNanos);
        out.writeByte(RBSP_TRAILING);
        out.writeBytes(body, at + AVC_HEADER, length - AVC_HEADER);
        return out;
    }

    /**
     * Reads the marker from the first {@code length} bytes of a tag body starting at {@code index}.
     *
     * @return false when the body is not a marked H.264 coded frame ({@code into} is then left as it was)
     */
    public static boolean read(ByteBuf buf, int index, int length, Reading into) {
        if (length < HEAD_LENGTH || !fixedBytesMatch(buf, index)) {
            return false;
        }
        long seq = 0;
        long sent = 0;
        for (int i = 0; i < 16; i++) {
            int s = hexValue(buf.getByte(index + SEQ_AT + i));
            int t = hexValue(buf.getByte(index + SENT_AT + i));
            if ((s | t) < 0) {
                return false;
            }
            seq = seq << 4 | s;
            sent = sent << 4 | t;
        }
        into.seq = seq;
        into.sentNanos = sent;
        return true;
    }

    /** As {@link #read(ByteBuf, int, int, Reading)}, from the first {@code length} bytes at {@code offset}. */
    public static boolean read(byte[] head, int offset, int length, Reading into) {
        return length >= HEAD_LENGTH && fixedBytesMatch(head, offset)
                && readHex(head, offset + SEQ_AT, offset + SENT_AT, into);
    }

    /**
     * Where the next marker's UUID starts in {@code data} at or after {@code from}, or -1: for containers
     * that keep the SEI's bytes but not the FLV tag around them (MPEG-TS, fMP4 segments).
     */
    public static int find(byte[] data, int from) {
        int last = data.length - (UUID.length + 32);
        outer:
        for (int i = Math.max(0, from); i <= last; i++) {
            if (data[i] != UUID[0]) {
                continue;
            }
            for (int j = 1; j < UUID.length; j++) {
                if (data[i + j] != UUID[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads the sequence number and send time that follow the UUID at {@code uuidAt} (see {@link #find}). */
    public static boolean readPayload(byte[] data, int uuidAt, Reading into) {
        int seqAt = uuidAt + UUID.length;
        return seqAt + 32 <= data.length && readHex(data, seqAt, seqAt + 16, into);
    }

    /** The 16 hex digits at {@code seqAt} and at {@code sentAt}, into {@code into}; false if any is not one. */
    private static boolean readHex(byte[] data, int seqAt, int sentAt, Reading into) {
        long seq = 0;
        long sent = 0;
        for (int i = 0; i < 16; i++) {
            int s = hexValue(data[seqAt + i]);
            int t = hexValue(data[sentAt + i]);
            if ((s | t) < 0) {
                return false;
            }
            seq = seq << 4 | s;
            sent = sent << 4 | t;
        }
        into.seq = seq;
        into.sentNanos = sent;
        return true;
    }

    private static boolean fixedBytesMatch(ByteBuf b, int at) {
        if ((b.getByte(at) & 0x8F) != 7 || b.getByte(at + 1) != 1 || b.getInt(at + AVC_HEADER) != NAL_LENGTH
                || b.getByte(at + 9) != NAL_SEI || b.getByte(at + 10) != USER_DATA_UNREGISTERED
                || b.getByte(at + 11) != PAYLOAD_SIZE || (b.getByte(at + TRAILING_AT) & 0xFF) != RBSP_TRAILING) {
            return false;
        }
        for (int i = 0; i < UUID.length; i++) {
            if (b.getByte(at + UUID_AT + i) != UUID[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean fixedBytesMatch(byte[] b, int at) {
        if ((b[at] & 0x8F) != 7 || b[at + 1] != 1 || b[at + 5] != 0 || b[at + 6] != 0 || b[at + 7] != 0
                || b[at + 8] != NAL_LENGTH || b[at + 9] != NAL_SEI || b[at + 10] != USER_DATA_UNREGISTERED
                || b[at + 11] != PAYLOAD_SIZE || (b[at + TRAILING_AT] & 0xFF) != RBSP_TRAILING) {
            return false;
        }
        for (int i = 0; i < UUID.length; i++) {
            if (b[at + UUID_AT + i] != UUID[i]) {
                return false;
            }
        }
        return true;
    }

    private static void writeHex(ByteBuf out, long v) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            out.writeByte(HEX[(int) (v >>> shift) & 0xF]);
        }
    }

    /** 0..15 for a lowercase hex digit, -1 for anything else. */
    private static int hexValue(byte c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }
}
