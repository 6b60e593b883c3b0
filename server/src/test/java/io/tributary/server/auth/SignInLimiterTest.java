package io.tributary.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SignInLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final SignInLimiter limiter = new SignInLimiter(3, Duration.ofMinutes(1), now::get);

    @Test
    void anAddressWaitsAfterTooManyFailuresUntilTheOldestLeavesTheWindow() {
        limiter.failed("10.0.0.1");
        now.addAndGet(10_000);
        limiter.failed("10.0.0.1");
        assertThat(limiter.waitBefore("10.0.0.1")).isZero();
        limiter.failed("10.0.0.1");
        assertThat(limiter.waitBefore("10.0.0.1")).isEqualTo(Duration.ofSeconds(50));
        assertThat(limiter.waitBefore("10.0.0.2")).as("other addresses are not held up").isZero();

        now.addAndGet(50_000);
        assertThat(limiter.waitBefore("10.0.0.1")).isZero();
    }

    @Test
    void aSuccessClearsTheAddress() {
        for (int i = 0; i < 3; i++) {
            limiter.failed("10.0.0.1");
        }
        limiter.succeeded("10.0.0.1");
        assertThat(limiter.waitBefore("10.0.0.1")).isZero();
    }

    @Test
    void itRemembersABoundedNumberOfAddresses() {
        for (int i = 0; i < SignInLimiter.MAX_ADDRESSES + 10; i++) {
            for (int f = 0; f < 3; f++) {
                limiter.failed("addr-" + i);
            }
        }
        assertThat(limiter.waitBefore("addr-0")).as("the eldest were forgotten").isZero();
        assertThat(limiter.waitBefore("addr-" + (SignInLimiter.MAX_ADDRESSES + 9))).isPositive();
    }
}
