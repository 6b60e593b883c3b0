package io.tributary.media.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tributary.media.Frame;

/** Writes the FLV container around frame bodies: the file header and per-tag headers. */
public final class FlvTags {
    public static final int AUDIO = 8;
    public static final int VIDEO = 9;
    public static final int SCRIPT = 18;
    public static final int FILE_HEADER_SIZE = 9;
    public static final int TAG_HEADER_SIZE = 11;
    /** Tag header (11) plus the PreviousTagSize field that goes with every tag (4). */
    public static final int TAG_OVERHEAD = 15;

    private FlvTags() {
    }

    /**
     * "FLV" version 1, the track flags and the header size: 9 bytes. PreviousTagSize0 (zero) is left to
     * the writer of the first tag, which puts each PreviousTagSize in front of the next tag's header.
     */
    public static ByteBuf fileHeader(ByteBufAllocator alloc, boolean hasAudio, boolean hasVideo) {
        ByteBuf out = alloc.buffer(FILE_HEADER_SIZE);
        out.writeByte('F').writeByte('L').writeByte('V').writeByte(1);
        out.writeByte((hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0));
        out.writeInt(FILE_HEADER_SIZE);
        return out;
    }

    public static int tagType(Frame frame) {
        return switch (frame.kind()) {
            case VIDEO -> VIDEO;
            case AUDIO -> AUDIO;
            case DATA -> SCRIPT;
        };
    }

    /** The 11-byte tag header: type, data size, 24+8-bit timestamp, stream id 0. */
    public static void writeTagHeader(ByteBuf out, int tagType, int dataSize, long timestamp) {
        out.writeByte(tagType);
        out.writeMedium(dataSize);
        out.writeMedium((int) (timestamp & 0xFFFFFF));
        out.writeByte((int) ((timestamp >>> 24) & 0xFF));
        out.writeMedium(0);
    }
}
