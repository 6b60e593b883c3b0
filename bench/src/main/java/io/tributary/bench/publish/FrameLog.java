package io.tributary.bench.publish;

import java.util.Arrays;

/**
 * The {@link PublishLog} a publisher fills as it sends: per video frame its send time, the bytes
 * attributed to the frames before it and the keyframes before it, in growable primitive arrays (24 bytes a
 * frame: a 10-minute run at 30 fps is 430 KB). The publisher appends from its event loop; readers on other
 * threads take the same monitor, which they do a few times per measurement, not per frame.
 */
public final class FrameLog implements PublishLog {
    private final long gopMillis;
    private final long bitsPerSecond;
    private long[] sentNanos = new long[4096];
    /** Bytes attributed to frames {@code 0..seq-1} (each frame's body and the audio after it). */
    private long[] bytesBefore = new long[4096];
    private long[] keyframesBefore = new long[4096];
    private long next;
    private long attributedBytes;
    private long keyframes;
    private long unattributedBytes;

    public FrameLog(long gopMillis, long bitsPerSecond) {
        this.gopMillis = gopMillis;
        this.bitsPerSecond = bitsPerSecond;
    }

    /** Records video frame {@link #nextSeq()} (its marked body of {@code bytes}) and returns its sequence number. */
    public synchronized long videoFrame(long sentAt, int bytes, boolean keyframe) {
        long seq = next;
        if (seq == sentNanos.length) {
            int size = sentNanos.length * 2;
            sentNanos = Arrays.copyOf(sentNanos, size);
            bytesBefore = Arrays.copyOf(bytesBefore, size);
            keyframesBefore = Arrays.copyOf(keyframesBefore, size);
        }
        int i = (int) seq;
        sentNanos[i] = sentAt;
        bytesBefore[i] = attributedBytes;
        keyframesBefore[i] = keyframes;
        attributedBytes += bytes;
        if (keyframe) {
            keyframes++;
        }
        next = seq + 1;
        return seq;
    }

    /** Records an audio frame: its bytes belong to the last video frame sent (none before the first). */
    public synchronized void audioFrame(int bytes) {
        if (next == 0) {
            unattributedBytes += bytes;
        } else {
            attributedBytes += bytes;
        }
    }

    @Override
    public synchronized long nextSeq() {
        return next;
    }

    @Override
    public synchronized long sentNanos(long seq) {
        return seq >= 0 && seq < next ? sentNanos[(int) seq] : -1;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Exact once frame {@code to} has been sent; before that the audio after frame {@code to - 1} is
     * still growing and the answer counts what has been sent so far.
     */
    @Override
    public synchronized long bytesBetween(long from, long to) {
        return to <= from ? 0 : bytesBefore(to) - bytesBefore(from);
    }

    @Override
    public synchronized long keyframesBetween(long from, long to) {
        return to <= from ? 0 : keyframesBefore(to) - keyframesBefore(from);
    }

    /** Every payload byte sent, sequence headers and metadata excluded. */
    public synchronized long totalBytes() {
        return attributedBytes + unattributedBytes;
    }

    @Override
    public long gopMillis() {
        return gopMillis;
    }

    @Override
    public long bitsPerSecond() {
        return bitsPerSecond;
    }

    private long bytesBefore(long seq) {
        return seq < 0 ? 0 : seq < next ? bytesBefore[(int) seq] : attributedBytes;
    }

    private long keyframesBefore(long seq) {
        return seq < 0 ? 0 : seq < next ? keyframesBefore[(int) seq] : keyframes;
    }
}
