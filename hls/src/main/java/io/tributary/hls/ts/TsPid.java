package io.tributary.hls.ts;

/**
 * One PID of the transport stream and its continuity counter. The counter runs on across segments, so
 * that segments played back to back (or concatenated into one file) show no gap.
 */
final class TsPid {
    final int pid;
    private int continuity;

    TsPid(int pid) {
        this.pid = pid;
    }

    /** The counter for the next packet that carries payload (every packet this muxer writes does). */
    int nextContinuity() {
        int c = continuity;
        continuity = (continuity + 1) & 0x0F;
        return c;
    }
}
