package io.tributary.cluster.relay;

import java.time.Duration;

/**
 * How an edge pulls streams from their origins (seed 002's relay settings, plus the failover grace).
 *
 * @param releaseDelay a pull ends this long after its last viewer left
 * @param maxRetryAttempts failed attempts in a row before a pull gives up
 * @param retryDelay pause before retrying
 * @param establishTimeout a pull that brings no media within this is abandoned
 * @param healthCheckInterval how often pulls are checked (stalled, origin moved, no viewers)
 * @param failoverGrace viewers of a pull whose origin went away wait this long for it to come back
 */
public record RelaySettings(Duration releaseDelay, int maxRetryAttempts, Duration retryDelay,
                            Duration establishTimeout, Duration healthCheckInterval, Duration failoverGrace) {

    public static RelaySettings defaults() {
        return new RelaySettings(Duration.ofSeconds(10), 3, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
}
