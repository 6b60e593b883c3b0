package io.tributary.hls;

import java.time.Duration;

/**
 * How a node cuts and keeps HLS for its streams.
 *
 * @param mode TS, fMP4 or LL-HLS
 * @param segmentDuration the aimed segment length: a segment ends at the first keyframe after ~85 % of it
 * @param maxSegmentDuration the longest a segment may get when the publisher sends no keyframe; it bounds
 *     the playlist's target duration
 * @param partDuration the LL-HLS part length (PART-TARGET)
 * @param listSize segments in the playlist's sliding window
 * @param idleTimeout a muxer nobody asked anything for this long stops (unless always on)
 */
public record HlsSettings(HlsMode mode, Duration segmentDuration, Duration maxSegmentDuration, Duration partDuration,
                          int listSize, Duration idleTimeout) {

    public static final HlsSettings DEFAULTS = new HlsSettings(HlsMode.TS, Duration.ofSeconds(2), Duration.ofSeconds(6),
            Duration.ofMillis(333), 6, Duration.ofSeconds(30));

    public HlsSettings {
        if (segmentDuration.toMillis() < 500) {
            throw new IllegalArgumentException("hls.segmentDuration must be at least 500ms, not " + segmentDuration);
        }
        if (maxSegmentDuration.compareTo(segmentDuration) < 0) {
            throw new IllegalArgumentException("hls.maxSegmentDuration (" + maxSegmentDuration
                    + ") must be at least hls.segmentDuration (" + segmentDuration + ")");
        }
        if (partDuration.toMillis() < 100 || partDuration.compareTo(segmentDuration) > 0) {
            throw new IllegalArgumentException("hls.partDuration must be between 100ms and hls.segmentDuration, not "
                    + partDuration);
        }
        if (listSize < 3) {
            throw new IllegalArgumentException("hls.listSize must be at least 3 (RFC 8216 asks for three target "
                    + "durations of media in a live playlist), not " + listSize);
        }
    }

    /**
     * PART-TARGET in milliseconds: {@code hls.partDuration} plus 2 ms, because frame timestamps are whole
     * milliseconds (30 fps is 33 or 34 ms a frame) and a part of ten frames may come out a millisecond long.
     */
    public long partTargetMillis() {
        return partDuration.toMillis() + 2;
    }

    public HlsSettings withMode(HlsMode m) {
        return new HlsSettings(m, segmentDuration, maxSegmentDuration, partDuration, listSize, idleTimeout);
    }
}
