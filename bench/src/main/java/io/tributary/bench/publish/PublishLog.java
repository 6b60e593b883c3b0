package io.tributary.bench.publish;

/**
 * What the publisher sent, frame by frame: every video frame carries a sequence number (in its marker),
 * and the audio sent after a video frame is attributed to that frame, so "the bytes of frames a to b"
 * means the same thing on the publishing and on the receiving side. Thread-safe: the publisher appends
 * while the generator reads.
 */
public interface PublishLog {
    /** The sequence number the next video frame will carry (the first is 0). */
    long nextSeq();

    /** When video frame {@code seq} was sent, in {@link System#nanoTime()}; -1 if not sent yet. */
    long sentNanos(long seq);

    /** Payload bytes (FLV tag bodies, markers included) of video frames {@code from..to-1} and their audio. */
    long bytesBetween(long from, long to);

    /** Video frames {@code from..to-1} that are keyframes. */
    long keyframesBetween(long from, long to);

    /** Duration of the file's group of pictures (keyframe to keyframe), in milliseconds. */
    long gopMillis();

    /** The stream's average bit rate over the file (payload bytes), in bits per second. */
    long bitsPerSecond();
}
