package io.tributary.hls.fmp4;

import io.tributary.media.Frame;
import java.util.List;

/**
 * One track's samples in one fragment, on the track's timescale: what {@code tfdt} and {@code trun} say.
 *
 * @param trackId             the track the samples belong to
 * @param baseDecodeTime      decode time of the first sample (tfdt)
 * @param durations           per sample, in timescale units (unsigned 32-bit values)
 * @param compositionOffsets  per sample, presentation minus decode time; null for a track without them
 * @param frames              the samples' frames, in decode order; their {@link Frame#data()} is the sample
 */
record TrackRun(int trackId, long baseDecodeTime, int[] durations, int[] compositionOffsets, List<Frame> frames) {

    private static final long MAX_UNSIGNED_32 = 0xFFFF_FFFFL;

    /** A sample duration as trun stores it: unsigned 32 bits. */
    static int duration(long ticks, String track) {
        if (ticks > MAX_UNSIGNED_32) {
            throw new IllegalArgumentException("a " + track + " sample lasting " + ticks
                    + " timescale units does not fit in a trun (is there a gap in the timestamps?)");
        }
        return (int) ticks;
    }

    /** A track's first decode time as tfdt stores it: the stream timeline starts at zero. */
    static long firstDecodeTime(long ticks, String track) {
        if (ticks < 0) {
            throw new IllegalArgumentException("the first " + track + " frame decodes before zero (" + ticks
                    + " timescale units); a tfdt cannot say that");
        }
        return ticks;
    }

    int sampleCount() {
        return frames.size();
    }

    long totalDuration() {
        long sum = 0;
        for (int d : durations) {
            sum += Integer.toUnsignedLong(d);
        }
        return sum;
    }

    /** Sample bytes this run puts into the mdat. */
    long dataSize() {
        long size = 0;
        for (Frame f : frames) {
            size += f.data().readableBytes();
        }
        return size;
    }
}
