package io.tributary.hls;

/**
 * One LL-HLS partial segment: a fragment of a segment, fetchable on its own.
 *
 * @param index its place in its segment, from 0
 * @param durationMillis its media duration
 * @param independent whether it starts with a keyframe (INDEPENDENT=YES)
 * @param data its bytes (an fMP4 fragment); never changed once the part exists
 */
public record Part(int index, long durationMillis, boolean independent, byte[] data) {
}
