package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.media.stream.StreamException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AMS's JWT stream tokens: the right stream, type and expiry, signed with the application's key. */
class JwtStreamTokensTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final String OTHER_KEY = "fedcba9876543210fedcba9876543210";
    private static final long NOW = 1_700_000_000_000L;
    private static final long LATER = NOW / 1000 + 60;

    @Test
    void aTokenForTheStreamAndTypeBeforeItsExpiryIsAccepted() {
        assertThatCode(() -> JwtStreamTokens.check(JwtStreamTokens.issue(KEY, "cam", "play", LATER), KEY, "cam",
                "play", NOW)).doesNotThrowAnyException();
    }

    static Stream<Arguments> refusals() throws Exception {
        return Stream.of(
                Arguments.of("another stream", JwtStreamTokens.issue(KEY, "other", "play", LATER),
                        "it is for stream 'other', not 'cam'"),
                Arguments.of("another type", JwtStreamTokens.issue(KEY, "cam", "publish", LATER),
                        "it is a 'publish' token, not a 'play' token"),
                Arguments.of("expired", JwtStreamTokens.issue(KEY, "cam", "play", NOW / 1000 - 1),
                        "it expired at"),
                Arguments.of("expiring now", JwtStreamTokens.issue(KEY, "cam", "play", NOW / 1000), "it expired at"),
                Arguments.of("another key", JwtStreamTokens.issue(OTHER_KEY, "cam", "play", LATER),
                        "its signature does not match"),
                Arguments.of("no expiry", sign(new JWTClaimsSet.Builder().claim("streamId", "cam")
                        .claim("type", "play").build(), JWSAlgorithm.HS256), "it has no expiry"),
                Arguments.of("not yet valid", sign(new JWTClaimsSet.Builder().claim("streamId", "cam")
                        .claim("type", "play").expirationTime(new Date(LATER * 1000))
                        .notBeforeTime(new Date(NOW + 30_000)).build(), JWSAlgorithm.HS256), "not valid before"),
                Arguments.of("HS512", sign(new JWTClaimsSet.Builder().claim("streamId", "cam").claim("type", "play")
                        .expirationTime(new Date(LATER * 1000)).build(), JWSAlgorithm.HS512), "not HS256"),
                Arguments.of("unsigned", "eyJhbGciOiJub25lIn0.eyJzdHJlYW1JZCI6ImNhbSJ9.", "it is not a JWT"),
                Arguments.of("garbage", "a.b.c", "it is not a JWT"),
                Arguments.of("huge", "a".repeat(9000) + ".b.c", "it is not a JWT"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aWrongTokenIsForbiddenWithTheReasonAndNeverTheKey(String what, String token, String why) {
        assertThatThrownBy(() -> JwtStreamTokens.check(token, KEY, "cam", "play", NOW))
                .isInstanceOf(StreamException.class)
                .hasMessageContaining(why)
                .hasMessageNotContaining(KEY)
                .extracting(e -> ((StreamException) e).reason()).isEqualTo(StreamException.Reason.FORBIDDEN);
    }

    @Test
    void jwtsAreToldFromOneTimeTokenIds() {
        assertThat(JwtStreamTokens.looksLikeJwt(JwtStreamTokens.issue(KEY, "cam", "play", LATER))).isTrue();
        assertThat(JwtStreamTokens.looksLikeJwt("Xk3-_f9aQz1bY7cLm2nP0rSt")).isFalse();
        assertThat(JwtStreamTokens.looksLikeJwt("a..b")).isFalse();
        assertThat(JwtStreamTokens.looksLikeJwt(".a.b")).isFalse();
    }

    private static String sign(JWTClaimsSet claims, JWSAlgorithm alg) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
        jwt.sign(new MACSigner((alg == JWSAlgorithm.HS256 ? KEY : KEY + KEY).getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
