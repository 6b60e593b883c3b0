package io.tributary.cluster.comm;

import java.time.Instant;
import java.util.Map;

/**
 * What a verified cluster token says: which node sent it ({@code issuer}, still to be checked against
 * the live nodes by the caller), for which node, until when, its unique id and the claims the sender
 * added (e.g. {@code "scope": "play live/cam1"}; JSON numbers come back as {@code Long} or
 * {@code Double}).
 */
public record VerifiedToken(String issuer, String audience, Instant expiresAt, String id, Map<String, Object> claims) {

    /** The claim as a string, or null when it is absent or not a string. */
    public String stringClaim(String name) {
        return claims.get(name) instanceof String value ? value : null;
    }
}
