package io.tributary.bench.load;

import org.HdrHistogram.Histogram;

/**
 * What the players of one level saw during its measurement window.
 *
 * @param players players started
 * @param connected players that reached their first keyframe
 * @param failed players whose connection failed or closed (with the first error seen)
 * @param firstError the first failure's description, or null
 * @param minDeliveredRatio the worst player's bytes received / bytes published in the window (1.0 = all)
 * @param meanDeliveredRatio the mean over players
 * @param playersBelow99 players that got less than 99 % of the window's bytes
 * @param maxLagMillis the worst player's worst lag behind the publisher during the window (latency of a
 *     marked frame above the best latency that player saw)
 * @param ttffMicros time from connect to first keyframe, one value per player, in microseconds
 * @param latencyMicros publisher-to-player latency of every marked frame received in the window
 * @param bytesReceived payload bytes all players received in the window
 * @param windowNanos length of the window
 */
public record LevelResult(int players, int connected, int failed, String firstError, double minDeliveredRatio,
                          double meanDeliveredRatio, int playersBelow99, long maxLagMillis, Histogram ttffMicros,
                          Histogram latencyMicros, long bytesReceived, long windowNanos) {

    /** The level passes: every player connected and got at least 99 % of the bytes, none fell behind a GOP. */
    public boolean passed(long gopMillis) {
        return failed == 0 && connected == players && playersBelow99 == 0 && maxLagMillis <= gopMillis;
    }

    /** Throughput to all players in the window, bits per second. */
    public double bitsPerSecond() {
        return windowNanos == 0 ? 0 : bytesReceived * 8.0 * 1e9 / windowNanos;
    }
}
