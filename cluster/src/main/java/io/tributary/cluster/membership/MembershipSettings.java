package io.tributary.cluster.membership;

import java.time.Duration;

/**
 * How often nodes heartbeat and how many missed periods make a node suspect, then dead (seed: 5 s, dead
 * after 4 periods = 20 s; the Monibuca seed's suspect threshold is 2).
 */
public record MembershipSettings(Duration heartbeatPeriod, int suspectAfterMissed, int deadAfterMissed) {

    public MembershipSettings {
        if (heartbeatPeriod.isNegative() || heartbeatPeriod.isZero()) {
            throw new IllegalArgumentException("heartbeat period must be positive");
        }
        if (suspectAfterMissed < 1 || deadAfterMissed <= suspectAfterMissed) {
            throw new IllegalArgumentException("need 1 <= suspectAfterMissed < deadAfterMissed, got "
                    + suspectAfterMissed + " and " + deadAfterMissed);
        }
    }

    public static MembershipSettings defaults() {
        return new MembershipSettings(Duration.ofSeconds(5), 2, 4);
    }

    long suspectAfterNanos() {
        return heartbeatPeriod.toNanos() * suspectAfterMissed;
    }

    long deadAfterNanos() {
        return heartbeatPeriod.toNanos() * deadAfterMissed;
    }
}
