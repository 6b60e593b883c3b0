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
 * @param initGeneration which fMP4 initialization segment it needs (-1 for TS)
 * @param parts its LL-HLS parts (empty unless LL-HLS)
 * @param chunks its bytes, in order (one chunk, or its parts' fragments)
 * @param videoChunks its video track alone, for DASH (empty unless DASH was asked for)
 * @param audioChunks its audio track alone, for DASH (empty unless DASH was asked for)
 */
public record Segment(long sequence, boolean discontinuity, long discontinuitySequence, long startDts,
                      long durationMillis, long programDateTime, boolean independent, long initGeneration,
                      List<Part> parts, List<byte[]> chunks, List<byte[]> videoChunks, List<byte[]> audioChunks) {

    public Segment {
        parts = List.copyOf(parts);
        chunks = List.copyOf(chunks);
        videoChunks = List.copyOf(videoChunks);
        audioChunks = List.copyOf(audioChunks);
    }

    /** Its bytes as one buffer over the chunks, without copying. */
    public ByteBuf content() {
        return Unpooled.wrappedBuffer(chunks.toArray(byte[][]::new));
    }

    /** Whether it was also written track by track (DASH). */
    public boolean hasTracks() {
        return !videoChunks.isEmpty() || !audioChunks.isEmpty();
    }

    /** One track of it alone (DASH), without copying; null when it has no such track. */
    public ByteBuf track(boolean video) {
        List<byte[]> c = video ? videoChunks : audioChunks;
        return c.isEmpty() ? null : Unpooled.wrappedBuffer(c.toArray(byte[][]::new));
    }

    public long size() {
        long n = 0;
        for (byte[] c : chunks) {
            n += c.length;
        }
        return n;
    }
}
