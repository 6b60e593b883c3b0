package io.tributary.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RestTokensTest {
    private final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    private final byte[] key = "0123456789abcdef0123456789abcdef".getBytes();
    private final RestTokens tokens = new RestTokens(key, Duration.ofHours(1), now::get);

    @Test
    void aTokenNamesItsUserUntilItExpiresGiveOrTakeTheClockSkew() {
        RestTokens.Issued issued = tokens.issue("admin");
        assertThat(issued.expiresAt()).isEqualTo(now.get() + 3_600_000);
        assertThat(tokens.verify(issued.token())).contains(new RestTokens.Holder("admin", issued.expiresAt()));

        now.addAndGet(3_600_000 + 29_000);
        assertThat(tokens.verify(issued.token())).as("within 30 s of skew").isPresent();
        now.addAndGet(2_000);
        assertThat(tokens.verify(issued.token())).isEmpty();
    }

    @Test
    void aTokenFromAnotherKeyOrWithAnotherAlgorithmIsRefused() {
        RestTokens other = new RestTokens("another-key-another-key-another-k".getBytes(), Duration.ofHours(1), now::get);
        assertThat(tokens.verify(other.issue("admin").token())).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
        assertThat(tokens.verify("x".repeat(5000))).isEmpty();
        assertThat(tokens.verify("not.a.jwt")).isEmpty();
    }
}
