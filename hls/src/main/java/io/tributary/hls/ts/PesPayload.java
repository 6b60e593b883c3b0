package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;

/**
 * A whole PES packet (header included) that {@link TsPacketWriter} cuts into transport packets. It is
 * written piece by piece, one packet's worth at a time, straight into the output, so that a picture is
 * copied once, from the frame into the segment.
 */
interface PesPayload {

    /** Bytes still to write. */
    int remaining();

    /** Writes the next {@code n} bytes ({@code n <= remaining()}) into {@code out}. */
    void writeTo(ByteBuf out, int n);
}
