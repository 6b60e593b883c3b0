package io.tributary.cluster.comm;

import com.nimbusds.jwt.JWTClaimsSet;
import io.tributary.cluster.comm.ClusterTokenException.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checks on the claims of a cluster token whose signature is already verified: every claim a
 * Tributary node issues is present, the token is for this node, and its times are right within the
 * allowed clock skew. Split from {@link ClusterTokens} so each reads in one sitting.
 */
final class TokenClaims {

    private TokenClaims() {
    }

    static VerifiedToken check(JWTClaimsSet claims, String expectedAudience, Instant now, Duration skew)
            throws ClusterTokenException {
        requirePresent(claims);
        String issuer = claims.getIssuer();
        List<String> audience = claims.getAudience();
        if (!audience.equals(List.of(expectedAudience))) {
            throw new ClusterTokenException(Reason.WRONG_AUDIENCE, "token from " + issuer + " is for "
                    + String.join(", ", audience) + ", not for this node (" + expectedAudience + ")");
        }
        Instant expiry = claims.getExpirationTime().toInstant();
        if (now.isAfter(expiry.plus(skew))) {
            throw new ClusterTokenException(Reason.EXPIRED, "token from " + issuer + " expired "
                    + seconds(expiry, now) + " s ago (allowed clock skew " + skew.toSeconds() + " s)");
        }
        Date notBefore = claims.getNotBeforeTime();
        if (notBefore != null && notBefore.toInstant().isAfter(now.plus(skew))) {
            throw new ClusterTokenException(Reason.NOT_YET_VALID, "token from " + issuer + " is not valid for another "
                    + seconds(now, notBefore.toInstant()) + " s (allowed clock skew " + skew.toSeconds()
                    + " s): check that the clocks of " + issuer + " and this node are synchronised (NTP)");
        }
        Instant issued = claims.getIssueTime().toInstant();
        if (issued.isAfter(now.plus(skew))) {
            throw new ClusterTokenException(Reason.NOT_YET_VALID, "token from " + issuer + " was issued "
                    + seconds(now, issued) + " s in the future (allowed clock skew " + skew.toSeconds()
                    + " s): check that the clocks of " + issuer + " and this node are synchronised (NTP)");
        }
        return new VerifiedToken(issuer, expectedAudience, expiry, claims.getJWTID(), extraClaims(claims));
    }

    private static void requirePresent(JWTClaimsSet claims) throws ClusterTokenException {
        List<String> missing = new ArrayList<>();
        if (claims.getIssuer() == null) {
            missing.add("iss");
        }
        if (claims.getAudience().isEmpty()) {
            missing.add("aud");
        }
        if (claims.getExpirationTime() == null) {
            missing.add("exp");
        }
        if (claims.getIssueTime() == null) {
            missing.add("iat");
        }
        if (claims.getJWTID() == null) {
            missing.add("jti");
        }
        if (!missing.isEmpty()) {
            throw new ClusterTokenException(Reason.MALFORMED,
                    "token lacks the claims " + String.join(", ", missing) + ": it was not issued by a Tributary node");
        }
    }

    /** Whole seconds from {@code from} to {@code to}, rounded up so "0 s ago" never explains a refusal. */
    private static long seconds(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.getNano() == 0 ? d.getSeconds() : d.getSeconds() + 1;
    }

    /** The claims the sender added: everything but the registered ones. */
    private static Map<String, Object> extraClaims(JWTClaimsSet claims) {
        Map<String, Object> extra = new LinkedHashMap<>(claims.getClaims());
        extra.keySet().removeAll(JWTClaimsSet.getRegisteredNames());
        return Collections.unmodifiableMap(extra);
    }
}
