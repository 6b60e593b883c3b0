package io.tributary.cluster.comm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.cluster.comm.ClusterTokenException.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterTokensTest {

    private static final String SECRET = "the shared cluster secret, 40 characters";
    private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration TTL = Duration.ofSeconds(30);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(START);
    private final ClusterTokens nodeA = tokens("node-a", SECRET, clock);
    private final ClusterTokens nodeB = tokens("node-b", SECRET, clock);

    @Test
    void aTokenFromOneNodeIsAcceptedByItsAudienceWithItsClaims() throws Exception {
        String token = nodeA.issue("node-b", Map.of("scope", "play live/cam1", "viewers", 3));

        VerifiedToken verified = nodeB.verify(token, "node-b");

        assertThat(verified.issuer()).isEqualTo("node-a");
        assertThat(verified.audience()).isEqualTo("node-b");
        assertThat(verified.expiresAt()).isEqualTo(START.plus(TTL));
        assertThat(verified.id()).isNotBlank();
        assertThat(verified.claims())
                .containsExactlyInAnyOrderEntriesOf(Map.of("scope", "play live/cam1", "viewers", 3L));
        assertThat(verified.stringClaim("scope")).isEqualTo("play live/cam1");
    }

    @Test
    void aTokenIsAnHs256JwtNamingItsKey() throws Exception {
        SignedJWT jwt = SignedJWT.parse(nodeA.issue("node-b", Map.of()));

        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(ClusterTokens.keyId(ClusterTokens.deriveKey(SECRET)));
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(START);
        assertThat(claims.getNotBeforeTime().toInstant()).isEqualTo(START);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(START.plus(TTL));
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        String first = nodeA.issue("node-b", Map.of());
        String second = nodeA.issue("node-b", Map.of());

        assertThat(nodeB.verify(first, "node-b").id()).isNotEqualTo(nodeB.verify(second, "node-b").id());
    }

    @Test
    void extraClaimsCannotReplaceTheOnesTheTokenIsBoundBy() {
        assertThatThrownBy(() -> nodeA.issue("node-b", Map.of("aud", "node-c")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"aud\"");
    }

    @Test
    void aTamperedPayloadIsRefused() {
        String[] parts = nodeA.issue("node-b", Map.of("scope", "play live/cam1")).split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("play live/cam1", "publish live/cam1");
        String tampered = parts[0] + "." + Base64URL.encode(payload) + "." + parts[2];

        assertRefused(tampered, Reason.BAD_SIGNATURE).hasMessageContaining("altered");
    }

    @Test
    void aTamperedSignatureIsRefused() {
        String[] parts = nodeA.issue("node-b", Map.of()).split("\\.");
        // The first character carries six signature bits (the last one partly padding).
        char flipped = parts[2].charAt(0) == 'A' ? 'B' : 'A';
        String tampered = parts[0] + "." + parts[1] + "." + flipped + parts[2].substring(1);

        assertRefused(tampered, Reason.BAD_SIGNATURE);
    }

    @Test
    void anUnsignedNoneTokenIsRefused() {
        String[] parts = nodeA.issue("node-b", Map.of()).split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";

        assertRefused(none, Reason.WRONG_ALGORITHM).hasMessageContaining("\"none\"");
    }

    @Test
    void aNoneTokenKeepingASignatureIsRefused() {
        String[] parts = nodeA.issue("node-b", Map.of()).split("\\.");
        String none = Base64URL.encode("{\"alg\":\"none\"}") + "." + parts[1] + "." + parts[2];

        assertRefused(none, Reason.WRONG_ALGORITHM);
    }

    @Test
    void anHs512TokenIsRefusedEvenWithTheClusterKey() throws Exception {
        byte[] key = ClusterTokens.deriveKey(SECRET);
        byte[] longKey = new byte[64]; // HS512 needs 512 bits: the cluster key twice
        System.arraycopy(key, 0, longKey, 0, 32);
        System.arraycopy(key, 0, longKey, 32, 32);

        String token = sign(JWSAlgorithm.HS512, longKey, ClusterTokens.keyId(key), validClaims("node-b"));

        assertRefused(token, Reason.WRONG_ALGORITHM).hasMessageContaining("HS512").hasMessageContaining("HS256 only");
    }

    @Test
    void anRs256HeaderIsRefusedBeforeAnySignatureCheck() {
        String[] parts = nodeA.issue("node-b", Map.of()).split("\\.");
        String rs256 = Base64URL.encode("{\"alg\":\"RS256\"}") + "." + parts[1] + "." + parts[2];

        assertRefused(rs256, Reason.WRONG_ALGORITHM);
    }

    @Test
    void aTokenFromAnotherClusterIsRefusedAsAnUnknownKey() {
        ClusterTokens stranger = tokens("node-a", "the secret of another cluster, 40 chars", clock);

        assertRefused(stranger.issue("node-b", Map.of()), Reason.UNKNOWN_KEY)
                .hasMessageContaining("check that every node has the same cluster secret");
    }

    @Test
    void aTokenClaimingOurKeyIdButSignedWithAnotherKeyIsRefused() throws Exception {
        byte[] otherKey = ClusterTokens.deriveKey("the secret of another cluster, 40 chars");
        String ourKeyId = ClusterTokens.keyId(ClusterTokens.deriveKey(SECRET));

        assertRefused(sign(JWSAlgorithm.HS256, otherKey, ourKeyId, validClaims("node-b")), Reason.BAD_SIGNATURE);
    }

    @Test
    void aTokenWithoutKeyIdIsRefused() throws Exception {
        assertRefused(sign(JWSAlgorithm.HS256, ClusterTokens.deriveKey(SECRET), null, validClaims("node-b")),
                Reason.UNKNOWN_KEY);
    }

    @Test
    void aTokenForAnotherNodeIsRefused() {
        String token = nodeA.issue("node-c", Map.of());

        assertRefused(token, Reason.WRONG_AUDIENCE)
                .hasMessage("token from node-a is for node-c, not for this node (node-b)");
    }

    @Test
    void aTokenExpiredBeyondTheClockSkewIsRefused() {
        String token = nodeA.issue("node-b", Map.of());
        clock.advance(Duration.ofSeconds(125)); // 95 s after expiry

        assertRefused(token, Reason.EXPIRED)
                .hasMessage("token from node-a expired 95 s ago (allowed clock skew 30 s)");
    }

    @Test
    void aTokenExpiredWithinTheClockSkewIsAccepted() throws Exception {
        String token = nodeA.issue("node-b", Map.of());
        clock.advance(TTL.plus(SKEW));

        assertThat(nodeB.verify(token, "node-b").issuer()).isEqualTo("node-a");
    }

    @Test
    void aTokenFromANodeWhoseClockIsAheadBeyondTheSkewIsNotYetValid() {
        ClusterTokens ahead = tokens("node-a", SECRET, new MutableClock(START.plusSeconds(120)));

        assertRefused(ahead.issue("node-b", Map.of()), Reason.NOT_YET_VALID)
                .hasMessageStartingWith("token from node-a is not valid for another 120 s (allowed clock skew 30 s)")
                .hasMessageContaining("NTP");
    }

    @Test
    void aTokenFromANodeWhoseClockIsAheadWithinTheSkewIsAccepted() throws Exception {
        ClusterTokens ahead = tokens("node-a", SECRET, new MutableClock(START.plus(SKEW)));

        assertThat(nodeB.verify(ahead.issue("node-b", Map.of()), "node-b").issuer()).isEqualTo("node-a");
    }

    @Test
    void aTokenIssuedInTheFutureIsNotYetValidEvenWithoutNbf() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder(validClaims("node-b"))
                .notBeforeTime(null)
                .issueTime(Date.from(START.plusSeconds(60)))
                .build();
        byte[] key = ClusterTokens.deriveKey(SECRET);

        assertRefused(sign(JWSAlgorithm.HS256, key, ClusterTokens.keyId(key), claims), Reason.NOT_YET_VALID)
                .hasMessageContaining("issued 60 s in the future");
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   "})
    void noTokenIsMissing(String token) {
        assertRefused(token, Reason.MISSING);
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "a.b", "a.b.c", "e30.e30.e30", "a.b.c.d.e", "eyJhbGciOiJIUzI1NiJ9"})
    void garbageIsMalformed(String token) {
        assertRefused(token, Reason.MALFORMED);
    }

    @Test
    void anOversizedTokenIsMalformed() {
        assertRefused("a".repeat(10_000), Reason.MALFORMED);
    }

    @Test
    void aSignedTokenLackingTheUsualClaimsIsMalformed() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().audience("node-b").build();
        byte[] key = ClusterTokens.deriveKey(SECRET);

        assertRefused(sign(JWSAlgorithm.HS256, key, ClusterTokens.keyId(key), claims), Reason.MALFORMED)
                .hasMessageContaining("iss, exp, iat, jti");
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String token, Reason reason) {
        return assertThatThrownBy(() -> nodeB.verify(token, "node-b"))
                .isInstanceOfSatisfying(ClusterTokenException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static ClusterTokens tokens(String node, String secret, Clock clock) {
        return new ClusterTokens(node, ClusterSecrets.of(secret), TTL, SKEW, clock);
    }

    private static JWTClaimsSet validClaims(String audience) {
        return new JWTClaimsSet.Builder()
                .issuer("node-a")
                .audience(audience)
                .issueTime(Date.from(START))
                .notBeforeTime(Date.from(START))
                .expirationTime(Date.from(START.plus(TTL)))
                .jwtID("forged")
                .build();
    }

    private static String sign(JWSAlgorithm algorithm, byte[] key, String keyId, JWTClaimsSet claims)
            throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        jwt.sign(new MACSigner(key));
        return jwt.serialize();
    }
}
