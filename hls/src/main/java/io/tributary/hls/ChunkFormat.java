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

    /** A chunk's bytes: both tracks together (HLS), and each track alone (DASH) when asked for. */
    record Output(byte[] muxed, byte[] video, byte[] audio) {
    }

    /**
     * The bytes of one chunk.
     *
     * @param frames coded frames in decode order, both tracks interleaved
     * @param endDts where the chunk ends on the stream's timeline (the next chunk's first frame), ms
     * @param segmentStart whether the chunk starts a segment
     * @param sequence a number that grows by one per chunk (an fMP4 fragment's sequence number)
     * @param tracks whether to write each track alone as well (fMP4 only)
     */
    Output write(List<Frame> frames, long endDts, boolean segmentStart, long sequence, boolean tracks);

    /** The fMP4 initialization segments for the current configuration; null for MPEG-TS. */
    InitSegments initSegments();

    /** The RFC 6381 codecs of the current configuration, or null when unknown. */
    String codecs();

    /** The codecs of the video track alone, or null without video. */
    String videoCodecs();

    /** The codecs of the audio track alone, or null without audio. */
    String audioCodecs();

    static ChunkFormat of(HlsMode mode) {
        return mode == HlsMode.TS ? new TsFormat() : new Fmp4Format();
    }
}
