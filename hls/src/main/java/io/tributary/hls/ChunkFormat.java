package io.tributary.hls;

import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import java.util.List;

/**
 * Turns runs of frames into the bytes of the stream's container: a whole segment, or one LL-HLS part.
 * Used from one thread (the muxer's).
 */
interface ChunkFormat {

    /** The codec configurations to use from the next segment on. */
    void configure(AvcConfig video, AacConfig audio);

    /**
     * The bytes of one chunk.
     *
     * @param frames coded frames in decode order, both tracks interleaved
     * @param endDts where the chunk ends on the stream's timeline (the next chunk's first frame), ms
     * @param segmentStart whether the chunk starts a segment
     * @param sequence a number that grows by one per chunk (an fMP4 fragment's sequence number)
     */
    byte[] write(List<Frame> frames, long endDts, boolean segmentStart, long sequence);

    /** The fMP4 initialization segment for the current configuration; null for MPEG-TS. */
    byte[] initSegment();

    /** The RFC 6381 codecs of the current configuration, or null when unknown. */
    String codecs();

    static ChunkFormat of(HlsMode mode) {
        return mode == HlsMode.TS ? new TsFormat() : new Fmp4Format();
    }
}
