package io.tributary.hls;

/**
 * The fMP4 initialization segments of one codec configuration.
 *
 * @param muxed both tracks (what HLS plays)
 * @param video the video track alone (DASH), or null without video
 * @param audio the audio track alone (DASH), or null without audio
 */
public record InitSegments(byte[] muxed, byte[] video, byte[] audio) {
}
