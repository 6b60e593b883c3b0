package io.tributary.server.access;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tributary.media.stream.StreamException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Date;

/**
 * Ant Media Server's JWT stream tokens: HS256 JWTs signed with the application's {@code jwtStreamSecretKey},
 * whose claims {@code streamId}, {@code type} ({@code publish} or {@code play}) and {@code exp} (seconds) say
 * which stream they open, for what, and until when. Refusals say why, never with the key.
 */
final class JwtStreamTokens {
    /** HS256 needs a key of at least 256 bits. */
    static final int MIN_KEY_BYTES = 32;
    /** Longer than any real token; garbage is refused before the parser sees it. */
    private static final int MAX_TOKEN_LENGTH = 8192;

    private JwtStreamTokens() {
    }

    /** Whether {@code token} looks like a JWT (three dot-separated parts) rather than a one-time token id. */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first + 1;
    }

    /** A token for {@code streamId} and {@code type} that expires at {@code expiresAtSeconds} (epoch seconds). */
    static String issue(String key, String streamId, String type, long expiresAtSeconds) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .claim("streamId", streamId).claim("type", type)
                    .expirationTime(new Date(expiresAtSeconds * 1000)).build());
            jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign a JWT stream token: " + e.getMessage(), e);
        }
    }

    /**
     * Checks a token for a {@code type} of {@code streamId} at {@code nowMillis}.
     *
     * @throws StreamException FORBIDDEN, saying what is wrong with it
     */
    static void check(String token, String key, String streamId, String type, long nowMillis) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw refused("it is not a JWT");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw refused("it is not a JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw refused("it is signed with " + jwt.getHeader().getAlgorithm() + ", not HS256");
        }
        try {
            if (!jwt.verify(new MACVerifier(key.getBytes(StandardCharsets.UTF_8)))) {
                throw refused("its signature does not match the application's jwtStreamSecretKey");
            }
        } catch (JOSEException e) {
            throw refused("its signature cannot be checked");
        }
        Object tokenStream = claims.getClaim("streamId");
        if (!streamId.equals(tokenStream)) {
            throw refused("it is for stream " + (tokenStream == null ? "(none)" : "'" + tokenStream + "'")
                    + ", not '" + streamId + "'");
        }
        Object tokenType = claims.getClaim("type");
        if (!type.equals(tokenType)) {
            throw refused("it is a " + (tokenType == null ? "token without a type" : "'" + tokenType + "' token")
                    + ", not a '" + type + "' token");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw refused("it has no expiry (exp)");
        }
        if (exp.getTime() <= nowMillis) {
            throw refused("it expired at " + exp.toInstant());
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.getTime() > nowMillis) {
            throw refused("it is not valid before " + nbf.toInstant());
        }
    }

    private static StreamException refused(String why) {
        return new StreamException(StreamException.Reason.FORBIDDEN, "Invalid JWT stream token: " + why + ".");
    }
}
