package io.tributary.cluster.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSecretsTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void refusesAShortSecretSayingHowLongItIs() {
        assertThatThrownBy(() -> ClusterSecrets.of("short secret", List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the cluster secret must be at least 32 characters long (got 12)");
    }

    @Test
    void refusesAShortPreviousSecret() {
        assertThatThrownBy(() -> ClusterSecrets.of(SECRET, List.of("tiny")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a previous cluster secret must be at least 32 characters long (got 4)");
    }

    @Test
    void refusesAMissingSecret() {
        assertThatThrownBy(() -> ClusterSecrets.of(null, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the cluster secret is not set");
    }

    @Test
    void noPreviousSecretsMeansAnEmptyList() {
        assertThat(ClusterSecrets.of(SECRET, null).previous()).isEmpty();
        assertThat(ClusterSecrets.of(SECRET).previous()).isEmpty();
    }

    @Test
    void neverPrintsTheSecrets() {
        String printed = ClusterSecrets.of(SECRET, List.of(SECRET.toUpperCase())).toString();

        assertThat(printed).doesNotContain(SECRET).doesNotContain(SECRET.toUpperCase()).contains("1 hidden");
    }
}
