package io.tributary.bench.load;

import io.tributary.bench.marker.FrameMarker;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What the players of one event loop record, touched only by that loop's thread: the latency of every
 * marked frame in the current window and every player's time to its first keyframe, in microseconds.
 * The generator reads them by running a task on the loop, so recording takes no lock.
 */
final class LoopStats {
    /** Values above an hour are recorded as an hour. */
    static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    final FrameMarker.Reading reading = new FrameMarker.Reading();
    private final Histogram latency = newHistogram();
    private final Histogram ttff = newHistogram();
    private int latencyEpoch;

    static Histogram newHistogram() {
        return new Histogram(HIGHEST_MICROS, 3);
    }

    void recordTtff(long nanos) {
        ttff.recordValue(micros(nanos));
    }

    void recordLatency(int epoch, long nanos) {
        if (epoch != latencyEpoch) {
            latencyEpoch = epoch;
            latency.reset();
        }
        latency.recordValue(micros(nanos));
    }

    /** Adds this loop's latencies of window {@code epoch} to {@code into}. */
    void addLatency(int epoch, Histogram into) {
        if (epoch == latencyEpoch) {
            into.add(latency);
        }
    }

    void addTtff(Histogram into) {
        into.add(ttff);
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(HIGHEST_MICROS, nanos / 1000));
    }
}
