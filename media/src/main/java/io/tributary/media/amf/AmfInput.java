package io.tributary.media.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked reads over a ByteBuf for the AMF decoders. Every read and every length taken
 * from the wire is checked against the readable bytes first, so hostile input fails with an
 * {@link AmfException} naming the field and offset instead of an IndexOutOfBounds or a huge
 * allocation.
 */
final class AmfInput {

    /** Containers nested deeper than this are rejected, so hostile input cannot overflow the stack. */
    static final int MAX_DEPTH = 64;

    /**
     * Capacity to preallocate for a declared element count. Capped because nested arrays can each
     * claim the whole remaining buffer; beyond the cap the list grows only as elements arrive.
     */
    static int initialCapacity(long count) {
        return (int) Math.min(count, 1024);
    }

    private final ByteBuf in;
    private final String format;

    AmfInput(ByteBuf in, String format) {
        this.in = in;
        this.format = format;
    }

    int offset() {
        return in.readerIndex();
    }

    int remaining() {
        return in.readableBytes();
    }

    int peekU8() {
        need(1, "byte");
        return in.getUnsignedByte(in.readerIndex());
    }

    int u8(String what) {
        need(1, what);
        return in.readUnsignedByte();
    }

    int u16(String what) {
        need(2, what);
        return in.readUnsignedShort();
    }

    long u32(String what) {
        need(4, what);
        return in.readUnsignedInt();
    }

    short s16(String what) {
        need(2, what);
        return in.readShort();
    }

    double f64(String what) {
        need(8, what);
        return in.readDouble();
    }

    /** Reads {@code length} bytes of UTF-8; {@code what} names the field for the error message. */
    String utf8(long length, String what, int lengthOffset) {
        checkLength(length, what, lengthOffset);
        String s = in.toString(in.readerIndex(), (int) length, StandardCharsets.UTF_8);
        in.skipBytes((int) length);
        return s;
    }

    byte[] bytes(long length, String what, int lengthOffset) {
        checkLength(length, what, lengthOffset);
        byte[] bytes = new byte[(int) length];
        in.readBytes(bytes);
        return bytes;
    }

    /**
     * Rejects a declared element count that cannot fit in what is left, before anything is
     * allocated for it; every element takes at least one byte.
     */
    void checkCount(long count, String what, int countOffset) {
        if (count > in.readableBytes()) {
            throw fail(what + " count " + count + " exceeds remaining " + in.readableBytes()
                    + " bytes", countOffset);
        }
    }

    private void checkLength(long length, String what, int lengthOffset) {
        if (length > in.readableBytes()) {
            throw fail(what + " length " + length + " exceeds remaining " + in.readableBytes()
                    + " bytes", lengthOffset);
        }
    }

    private void need(int n, String what) {
        if (in.readableBytes() < n) {
            throw fail("truncated " + what + ": need " + n + " bytes, " + in.readableBytes()
                    + " remaining", in.readerIndex());
        }
    }

    AmfException fail(String message, int offset) {
        return new AmfException(format + ": " + message + " at offset " + offset);
    }
}
