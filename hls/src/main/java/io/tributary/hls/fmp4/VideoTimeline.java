package io.tributary.hls.fmp4;

import io.tributary.media.Frame;
import java.util.List;

/**
 * Decode times of the video track on its 90 kHz timescale. Milliseconds convert to 90 kHz exactly, so
 * each sample ends where the next frame's dts (or the fragment's end dts) says, counted from the
 * track's own running decode time: fragments are contiguous and nothing drifts. Should a fragment's
 * first dts not be where the previous one ended, the first sample's duration absorbs the difference and
 * its composition offset is taken from the running decode time, so the picture is still shown at its
 * pts.
 */
final class VideoTimeline {
    private static final long TICKS_PER_MS = Fmp4Muxer.VIDEO_TIMESCALE / 1000;

    private long position;
    private boolean started;

    /** The samples' timing if {@code frames} are the track's next fragment; nothing changes until {@link #advance}. */
    TrackRun plan(List<Frame> frames, long endDts) {
        long base = started ? position : TrackRun.firstDecodeTime(ticks(frames.get(0).dts()), "video");
        long decodeTime = base;
        int n = frames.size();
        int[] durations = new int[n];
        int[] offsets = new int[n];
        for (int i = 0; i < n; i++) {
            long next = ticks(i + 1 < n ? frames.get(i + 1).dts() : endDts);
            long duration = Math.max(1, next - decodeTime);
            durations[i] = TrackRun.duration(duration, "video");
            offsets[i] = Math.toIntExact(ticks(frames.get(i).pts()) - decodeTime);
            decodeTime += duration;
        }
        return new TrackRun(Fmp4Muxer.VIDEO_TRACK_ID, base, durations, offsets, frames);
    }

    /** Moves the track's decode time past a run that was written. */
    void advance(TrackRun run) {
        position = run.baseDecodeTime() + run.totalDuration();
        started = true;
    }

    private static long ticks(long ms) {
        return ms * TICKS_PER_MS;
    }
}
