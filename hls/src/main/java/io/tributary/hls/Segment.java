package io.tributary.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * One finished media segment. Immutable: requests read it from any thread while the muxer moves on, and
 * its bytes are plain arrays that the garbage collector frees once no playlist and no response holds them.
 *
 * @param sequence its media sequence number
 * @param discontinuity a new encoder (or new codec settings) starts here (EXT-X-DISCONTINUITY)
 * @param discontinuitySequence discontinuities before this segment since the muxer started
 * @param startDts decode time of its first frame on the stream's timeline, in milliseconds
 * @param durationMillis its media duration
 * @param programDateTime wall-clock time of its first frame, epoch milliseconds
 * @param independent whether it starts with a keyframe (it does, unless the publisher sent none in time)
 * @param initGeneration which fMP4 initialization segment it needs (0 for TS)
 * @param parts its LL-HLS parts (empty unless LL-HLS)
 * @param chunks its bytes, in order (one chunk, or its parts' fragments)
 */
public record Segment(long sequence, boolean discontinuity, long discontinuitySequence, long startDts,
                      long durationMillis, long programDateTime, boolean independent, int initGeneration,
                      List<Part> parts, List<byte[]> chunks) {

    public Segment {
        parts = List.copyOf(parts);
        chunks = List.copyOf(chunks);
    }

    /** Its bytes as one buffer over the chunks, without copying. */
    public ByteBuf content() {
        return Unpooled.wrappedBuffer(chunks.toArray(byte[][]::new));
    }

    public long size() {
        long n = 0;
        for (byte[] c : chunks) {
            n += c.length;
        }
        return n;
    }
}
