package io.tributary.hls.fmp4;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes ISO BMFF boxes into a {@link ByteBuf}. A box is opened with its type and a size of zero, its
 * contents are written, and closing it writes the real size back, so nested boxes never have to be
 * measured before they are written.
 */
final class BoxWriter {
    /** moov/trak/mdia/minf/stbl/stsd/avc1/avcC is the deepest nesting we write; leave room. */
    private static final int MAX_DEPTH = 12;

    private final ByteBuf out;
    private final int[] open = new int[MAX_DEPTH];
    private int depth;

    BoxWriter(ByteBuf out) {
        this.out = out;
    }

    ByteBuf buffer() {
        return out;
    }

    /** Where the next byte goes, relative to the buffer's start. */
    int position() {
        return out.writerIndex();
    }

    /** Opens a box: [size:32 = patched on close][type:32]. */
    BoxWriter open(String type) {
        if (depth == MAX_DEPTH) {
            throw new IllegalStateException("boxes nested deeper than " + MAX_DEPTH);
        }
        open[depth++] = out.writerIndex();
        out.writeInt(0);
        out.writeInt(fourCc(type));
        return this;
    }

    /** Opens a full box: a box followed by [version:8][flags:24]. */
    BoxWriter openFull(String type, int version, int flags) {
        open(type);
        out.writeInt(version << 24 | flags & 0xFFFFFF);
        return this;
    }

    /** Closes the innermost open box and writes its size; returns that size. */
    int close() {
        if (depth == 0) {
            throw new IllegalStateException("no box is open");
        }
        int start = open[--depth];
        int size = out.writerIndex() - start;
        out.setInt(start, size);
        return size;
    }

    BoxWriter u8(int v) {
        out.writeByte(v);
        return this;
    }

    BoxWriter u16(int v) {
        out.writeShort(v);
        return this;
    }

    BoxWriter u24(int v) {
        out.writeMedium(v);
        return this;
    }

    /** 32 bits; an int's bit pattern is written as is, so unsigned values above 2^31 pass as negative ints. */
    BoxWriter u32(int v) {
        out.writeInt(v);
        return this;
    }

    BoxWriter u64(long v) {
        out.writeLong(v);
        return this;
    }

    BoxWriter zeros(int count) {
        out.writeZero(count);
        return this;
    }

    BoxWriter bytes(byte[] v) {
        out.writeBytes(v);
        return this;
    }

    BoxWriter fourCcValue(String type) {
        out.writeInt(fourCc(type));
        return this;
    }

    /** A null-terminated UTF-8 string, as hdlr names are written. */
    BoxWriter cString(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
        return this;
    }

    /** Overwrites 32 bits written earlier (a data offset known only once the moof is closed). */
    void patchU32(int at, int v) {
        out.setInt(at, v);
    }

    static int fourCc(String type) {
        if (type.length() != 4) {
            throw new IllegalArgumentException("a box type has four characters, not \"" + type + '"');
        }
        return type.charAt(0) << 24 | type.charAt(1) << 16 | type.charAt(2) << 8 | type.charAt(3);
    }
}
