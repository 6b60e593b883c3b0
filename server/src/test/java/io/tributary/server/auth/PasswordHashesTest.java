package io.tributary.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashesTest {
    private final PasswordHashes hashes = new PasswordHashes(1_000);

    @Test
    void aHashIsSaltedAndMatchesOnlyItsPassword() {
        String first = hashes.hash("correct horse");
        String second = hashes.hash("correct horse");
        assertThat(first).startsWith("pbkdf2-sha256$1000$").isNotEqualTo(second);
        assertThat(hashes.matches("correct horse", first)).isTrue();
        assertThat(hashes.matches("correct horse", second)).isTrue();
        assertThat(hashes.matches("correct horsE", first)).isFalse();
    }

    @Test
    void theDefaultCostIsTheOneStoredSoItCanBeRaisedLater() {
        String stored = new PasswordHashes().hash("pw-12345678");
        assertThat(stored).startsWith("pbkdf2-sha256$" + PasswordHashes.ITERATIONS + "$");
        assertThat(hashes.matches("pw-12345678", stored)).as("verified with the stored cost, not this one's")
                .isTrue();
    }

    @Test
    void malformedHashesNeverMatch() {
        for (String bad : new String[] {null, "", "plain", "md5$1$a$b", "pbkdf2-sha256$x$a$b", "pbkdf2-sha256$0$AA$AA",
                "pbkdf2-sha256$10$!!$AA"}) {
            assertThat(hashes.matches("anything", bad)).as(String.valueOf(bad)).isFalse();
        }
    }
}
