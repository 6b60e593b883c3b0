package io.tributary.hls.fmp4;

import io.tributary.media.Frame;
import java.util.List;

/**
 * Decode times of the AAC track on a timescale of its sampling rate.
 *
 * <p>An AAC frame always holds 1024 samples, while FLV/RTMP timestamps are whole milliseconds (an AAC
 * frame at 44.1 kHz lasts 23.22 ms, so they alternate between 23 and 24). The rule:
 * <ul>
 *   <li>Each sample lasts exactly 1024 ticks as long as the running decode time stays within
 *       {@value #RESYNC_MS} ms of what the next frame's timestamp says; that window is wider than millisecond
 *       rounding and ordinary stamping jitter, so a well-behaved stream never drifts and never glitches.</li>
 *   <li>When the timestamps disagree by more (the encoder's audio clock is not the clock it stamps with, or
 *       audio was lost), the sample before the disagreement is stretched or shortened so that the next one
 *       starts exactly at its timestamp: one small gap or overlap instead of growing audio/video
 *       desynchronisation.</li>
 *   <li>The last sample of a fragment, whose successor is not known yet, lasts 1024 ticks unless the end
 *       dts is more than {@value #RESYNC_MS} ms beyond that (a gap before the next fragment). An earlier end
 *       dts is not obeyed: segmenters often give the time the fragment was cut at, which can fall inside
 *       the last audio frame. Any disagreement with the next fragment's timestamps is resolved at its first
 *       sample by the rule above, so fragments stay contiguous.</li>
 * </ul>
 */
final class AudioTimeline {
    static final int SAMPLES_PER_FRAME = 1024;
    static final int RESYNC_MS = 5;

    private final int rate;
    private final long tolerance;
    private long position;
    private boolean started;

    AudioTimeline(int rate) {
        if (rate <= 0) {
            throw new IllegalArgumentException("audio sampling rate must be positive, not " + rate);
        }
        this.rate = rate;
        this.tolerance = (long) RESYNC_MS * rate / 1000;
    }

    /** The samples' timing if {@code frames} are the track's next fragment; nothing changes until {@link #advance}. */
    TrackRun plan(List<Frame> frames, long endDts) {
        long base = started ? position : TrackRun.firstDecodeTime(ticks(frames.get(0).dts()), "audio");
        long decodeTime = base;
        int n = frames.size();
        int[] durations = new int[n];
        for (int i = 0; i < n; i++) {
            boolean last = i + 1 == n;
            long next = ticks(last ? endDts : frames.get(i + 1).dts());
            long error = next - (decodeTime + SAMPLES_PER_FRAME);
            long duration = SAMPLES_PER_FRAME;
            if (error > tolerance || error < -tolerance && !last) {
                duration = Math.max(1, next - decodeTime);
            }
            durations[i] = TrackRun.duration(duration, "audio");
            decodeTime += duration;
        }
        return new TrackRun(Fmp4Muxer.AUDIO_TRACK_ID, base, durations, null, frames);
    }

    /** Moves the track's decode time past a run that was written. */
    void advance(TrackRun run) {
        position = run.baseDecodeTime() + run.totalDuration();
        started = true;
    }

    /** Milliseconds to samples, rounded to the nearest. */
    private long ticks(long ms) {
        return Math.floorDiv(ms * rate + 500, 1000);
    }
}
