package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * CRC-32/MPEG-2 (ISO/IEC 13818-1 Annex A), which ends every PSI section. It is not
 * {@link java.util.zip.CRC32}: the polynomial is the same, but MPEG-2 feeds bits most significant first
 * and neither reflects nor inverts the result, so a section including its CRC sums to zero.
 */
final class TsCrc32 {
    private static final int POLYNOMIAL = 0x04C11DB7;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ POLYNOMIAL : c << 1;
            }
            TABLE[i] = c;
        }
    }

    private TsCrc32() {
    }

    /** The CRC of {@code buf}'s bytes from index {@code from} (inclusive) to {@code to} (exclusive). */
    static int of(ByteBuf buf, int from, int to) {
        int crc = 0xFFFFFFFF;
        for (int i = from; i < to; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ buf.getByte(i)) & 0xFF];
        }
        return crc;
    }
}
