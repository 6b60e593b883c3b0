package io.tributary.media.codec;

import java.util.Arrays;
import java.util.Objects;

/**
 * Reads bits MSB-first from an RBSP, the form in which H.264 and AAC syntax is specified. NAL unit
 * payloads must first go through {@link #unescapeRbsp} so that emulation-prevention bytes are not
 * read as syntax. Reading past the end throws {@link CodecConfigException} rather than an index
 * exception, because running out of bits is how truncated or garbage input shows itself.
 */
public final class BitReader {
    /** ue(v) values are at most 2^32 - 2, which is 31 leading zeros (H.264 9.1). */
    private static final int MAX_LEADING_ZEROS = 31;

    private final byte[] data;
    private final int offset;
    private final int lengthBits;
    private int position;

    public BitReader(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        this.data = data;
        this.offset = offset;
        this.lengthBits = length * 8;
    }

    public BitReader(byte[] data) {
        this(data, 0, data.length);
    }

    public int readBit() {
        require(1);
        int b = data[offset + (position >>> 3)] >>> (7 - (position & 7)) & 1;
        position++;
        return b;
    }

    /**
     * Reads {@code n} bits (0..32) as an unsigned number. A 32-bit value is returned in the int's bit
     * pattern, so callers reading u(32) fields use {@link Integer#toUnsignedLong}.
     */
    public int readBits(int n) {
        if (n < 0 || n > 32) {
            throw new IllegalArgumentException("can read 0..32 bits at a time, not " + n);
        }
        require(n);
        int value = 0;
        for (int i = 0; i < n; i++) {
            value = value << 1 | data[offset + (position >>> 3)] >>> (7 - (position & 7)) & 1;
            position++;
        }
        return value;
    }

    /** Unsigned Exp-Golomb code, ue(v). */
    public long readUe() {
        int start = position;
        int leadingZeros = 0;
        while (readBit() == 0) {
            if (++leadingZeros > MAX_LEADING_ZEROS) {
                throw new CodecConfigException("Exp-Golomb code at bit " + start + " has more than "
                        + MAX_LEADING_ZEROS + " leading zero bits");
            }
        }
        return (1L << leadingZeros) - 1 + Integer.toUnsignedLong(readBits(leadingZeros));
    }

    /** Signed Exp-Golomb code, se(v): 1, -1, 2, -2, ... for code numbers 1, 2, 3, 4, ... */
    public long readSe() {
        long k = readUe();
        return (k & 1) == 1 ? (k + 1) / 2 : -(k / 2);
    }

    public void skipBits(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot skip a negative number of bits: " + n);
        }
        require(n);
        position += n;
    }

    public int bitsLeft() {
        return lengthBits - position;
    }

    /** Bits read so far, for error messages. */
    public int position() {
        return position;
    }

    private void require(int n) {
        if (n > lengthBits - position) {
            throw new CodecConfigException("needed " + n + " more bit(s) at bit " + position
                    + " but the data ends at bit " + lengthBits);
        }
    }

    /**
     * Returns the RBSP of a NAL unit (or part of one): every {@code 03} that follows two zero bytes is
     * an emulation-prevention byte inserted so that the payload cannot contain a start code, and is
     * dropped (H.264 7.4.1).
     */
    public static byte[] unescapeRbsp(byte[] nal, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, nal.length);
        byte[] out = new byte[length];
        int n = 0;
        int zeros = 0;
        for (int i = offset; i < offset + length; i++) {
            byte b = nal[i];
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out[n++] = b;
        }
        return n == length ? out : Arrays.copyOf(out, n);
    }
}
