package io.tributary.hls;

import java.util.List;
import java.util.Map;

/**
 * What a stream's HLS looks like at one moment: an immutable snapshot that requests read from any thread
 * while the muxer moves on. The muxer publishes a new one whenever a part or a segment is finished.
 *
 * @param mode TS, fMP4 or LL-HLS
 * @param version grows with every change
 * @param targetDuration EXT-X-TARGETDURATION in seconds; 0 until the first segment is finished
 * @param partTargetMillis PART-TARGET (LL-HLS)
 * @param segments the playlist's window, oldest first
 * @param retained every segment still fetchable: the window plus those that left it recently
 * @param pendingParts the parts of the segment being made (LL-HLS)
 * @param nextSequence the media sequence number of the segment being made
 * @param pendingDiscontinuity whether that segment starts a discontinuity
 * @param initSegments fMP4 initialization segments by generation (the sequence number of the first segment
 *     that uses each)
 * @param initGeneration the generation the segment being made uses (-1 for TS)
 * @param ended the stream is over: the playlist ends (EXT-X-ENDLIST)
 * @param codecs RFC 6381 codecs, or null
 * @param videoCodecs the video track's codecs, or null
 * @param audioCodecs the audio track's codecs, or null
 * @param width video width, 0 without video
 * @param height video height, 0 without video
 * @param wallAtZero wall-clock milliseconds at time 0 of the stream's timeline (DASH availabilityStartTime)
 */
public record PlaylistView(HlsMode mode, long version, int targetDuration, long partTargetMillis,
                           List<Segment> segments, List<Segment> retained, List<Part> pendingParts, long nextSequence,
                           boolean pendingDiscontinuity, Map<Long, InitSegments> initSegments, long initGeneration,
                           boolean ended, String codecs, String videoCodecs, String audioCodecs, int width, int height,
                           long wallAtZero) {

    /** Nothing to play yet. */
    public static PlaylistView empty(HlsMode mode, long partTargetMillis, long firstSequence) {
        return new PlaylistView(mode, 0, 0, partTargetMillis, List.of(), List.of(), List.of(), firstSequence, false,
                Map.of(), -1, false, null, null, null, 0, 0, 0);
    }

    /** Whether a player can start: at least one finished segment (or the stream ended). */
    public boolean ready() {
        return !segments.isEmpty() || ended;
    }

    /** The media sequence number of the first segment in the window. */
    public long mediaSequence() {
        return segments.isEmpty() ? nextSequence : segments.get(0).sequence();
    }

    /** Whether DASH can start: a finished segment written track by track (or the stream ended). */
    public boolean dashReady() {
        return ended || segments.stream().anyMatch(Segment::hasTracks);
    }

    /** A segment still fetchable, or null. */
    public Segment segment(long sequence) {
        for (Segment s : retained) {
            if (s.sequence() == sequence) {
                return s;
            }
        }
        return null;
    }

    /** A part still fetchable (of a finished segment, or of the one being made), or null. */
    public Part part(long sequence, int index) {
        if (sequence == nextSequence) {
            return index >= 0 && index < pendingParts.size() ? pendingParts.get(index) : null;
        }
        Segment s = segment(sequence);
        return s == null || index < 0 || index >= s.parts().size() ? null : s.parts().get(index);
    }

    /**
     * Whether this playlist holds media sequence {@code msn} (and, when {@code part >= 0}, its part
     * {@code part}) or anything later: what a blocking reload waits for.
     */
    public boolean has(long msn, int part) {
        if (ended || msn < nextSequence) {
            return true;
        }
        return msn == nextSequence && part >= 0 && part < pendingParts.size();
    }

    /** Duration of the window, milliseconds. */
    public long windowMillis() {
        long d = 0;
        for (Segment s : segments) {
            d += s.durationMillis();
        }
        return d;
    }
}
