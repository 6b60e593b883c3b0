package io.tributary.cluster.allocation;

import java.time.Duration;

/**
 * How allocation chooses: the routing thresholds, how many candidates an answer lists by default, and how
 * long an allocation's ticket holds a slot on its node (seed: 3 candidates, 30 s).
 */
public record AllocationSettings(RoutingThresholds thresholds, int candidateLimit, Duration ticketTtl) {

    public AllocationSettings {
        if (candidateLimit < 1) {
            throw new IllegalArgumentException("candidate limit must be at least 1, got " + candidateLimit);
        }
        if (ticketTtl.isNegative()) {
            throw new IllegalArgumentException("ticket TTL cannot be negative");
        }
    }

    public static AllocationSettings defaults() {
        return new AllocationSettings(RoutingThresholds.DEFAULTS, 3, Duration.ofSeconds(30));
    }
}
