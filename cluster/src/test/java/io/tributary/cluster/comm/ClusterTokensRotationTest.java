package io.tributary.cluster.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import io.tributary.cluster.comm.ClusterTokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rotating the cluster secret one node at a time, as an operator does: first every node learns the new
 * secret as a previous one, then every node signs with it while still accepting the old one, then the old
 * one is dropped.
 */
class ClusterTokensRotationTest {

    private static final String OLD = "the old cluster secret, 32+ characters";
    private static final String NEW = "the new cluster secret, 32+ characters";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));

    @Test
    void aTokenSignedWithTheOldSecretIsAcceptedWhileItIsAPreviousSecret() throws Exception {
        String oldToken = node("node-a", OLD).issue("node-b", Map.of());

        VerifiedToken verified = node("node-b", NEW, OLD).verify(oldToken, "node-b");

        assertThat(verified.issuer()).isEqualTo("node-a");
    }

    @Test
    void aTokenSignedWithTheOldSecretIsRefusedOnceTheSecretIsDropped() {
        String oldToken = node("node-a", OLD).issue("node-b", Map.of());

        assertThatThrownBy(() -> node("node-b", NEW).verify(oldToken, "node-b"))
                .isInstanceOfSatisfying(ClusterTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    @Test
    void newTokensAreSignedWithTheNewSecret() throws Exception {
        String token = node("node-a", NEW, OLD).issue("node-b", Map.of());

        assertThat(SignedJWT.parse(token).getHeader().getKeyID())
                .isEqualTo(ClusterTokens.keyId(ClusterTokens.deriveKey(NEW)));
        assertThat(node("node-b", NEW).verify(token, "node-b").issuer()).isEqualTo("node-a");
    }

    @Test
    void aNodeThatLearnedTheNewSecretFirstAcceptsTokensOfNodesAlreadySigningWithIt() throws Exception {
        String token = node("node-a", NEW, OLD).issue("node-b", Map.of());

        assertThat(node("node-b", OLD, NEW).verify(token, "node-b").issuer()).isEqualTo("node-a");
        assertThatThrownBy(() -> node("node-b", OLD).verify(token, "node-b"))
                .isInstanceOfSatisfying(ClusterTokenException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    private ClusterTokens node(String id, String current, String... previous) {
        return new ClusterTokens(id, ClusterSecrets.of(current, List.of(previous)), Duration.ofSeconds(30),
                Duration.ofSeconds(30), clock);
    }
}
