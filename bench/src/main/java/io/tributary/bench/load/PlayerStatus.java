package io.tributary.bench.load;

/**
 * What one player saw since it started.
 *
 * @param index the player's number in its level
 * @param protocol rtmp or flv
 * @param playing it has its first keyframe and has not failed
 * @param sawVideo it received at least one coded video frame
 * @param startedOnKeyframe its first coded video frame was a keyframe
 * @param ttffMicros time from connect to its first keyframe, -1 before that
 * @param bytes audio and video payload bytes received
 * @param frames coded video frames received
 * @param keyframes of which keyframes
 * @param bestLatencyMicros the lowest publisher-to-player latency of a marked frame, -1 before the first
 * @param error why it failed, or null
 */
public record PlayerStatus(int index, String protocol, boolean playing, boolean sawVideo, boolean startedOnKeyframe,
                           long ttffMicros, long bytes, long frames, long keyframes, long bestLatencyMicros,
                           String error) {
}
