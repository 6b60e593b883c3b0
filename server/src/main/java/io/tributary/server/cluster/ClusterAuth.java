package io.tributary.server.cluster;

import io.tributary.cluster.comm.ClusterTokenException;
import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.cluster.comm.VerifiedToken;
import io.tributary.cluster.membership.Membership;
import io.tributary.server.http.Request;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may call the internal endpoints. Cluster communication takes only a cluster token addressed to
 * this node by a node of the cluster; {@code /cluster/api/*} also takes the configured API key. Neither
 * is ever open: without a secret and a key, every call is refused.
 */
final class ClusterAuth {
    static final String API_KEY_HEADER = "X-Cluster-Api-Key";

    private final ClusterTokens tokens;
    private final String apiKey;
    private final Membership membership;

    /** @param tokens null when this node has no cluster secret; @param apiKey null when none is configured */
    ClusterAuth(ClusterTokens tokens, String apiKey, Membership membership) {
        this.tokens = tokens;
        // An empty key (say an empty TRIBUTARY_CLUSTER_API_KEY) is no key: it must not match an empty header.
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey;
        this.membership = membership;
    }

    /** Empty when the request carries a valid cluster token from a known node; otherwise why not. */
    Optional<String> nodeToken(Request r) {
        if (tokens == null) {
            return Optional.of("this node has no cluster secret, so it accepts no cluster tokens");
        }
        String token = ClusterTokens.bearer(r.header("Authorization"));
        if (token == null) {
            return Optional.of("missing cluster token (Authorization: Bearer <token>)");
        }
        try {
            String issuer = verifiedIssuer(token);
            return membership.knownIds().contains(issuer) ? Optional.empty()
                    : Optional.of("token issued by " + issuer + ", which is not a node of this cluster");
        } catch (ClusterTokenException e) {
            return Optional.of("invalid cluster token: " + e.getMessage());
        }
    }

    /** The node that issued {@code token}, when it is a valid cluster token for this node from a known node. */
    Optional<String> issuer(String token) {
        if (tokens == null || token == null) {
            return Optional.empty();
        }
        try {
            String issuer = verifiedIssuer(token);
            return membership.knownIds().contains(issuer) ? Optional.of(issuer) : Optional.empty();
        } catch (ClusterTokenException e) {
            return Optional.empty();
        }
    }

    private String verifiedIssuer(String token) throws ClusterTokenException {
        VerifiedToken verified = tokens.verify(token, membership.selfId());
        return verified.issuer();
    }

    /** Empty when the request carries the API key (header or Bearer) or a valid cluster token. */
    Optional<String> apiAccess(Request r) {
        String given = r.header(API_KEY_HEADER);
        String bearer = ClusterTokens.bearer(r.header("Authorization"));
        if (apiKey != null && (matches(given) || matches(bearer))) {
            return Optional.empty();
        }
        if (bearer != null && tokens != null && nodeToken(r).isEmpty()) {
            return Optional.empty();
        }
        if (given == null && bearer == null) {
            return Optional.of("missing " + API_KEY_HEADER + " header (or Authorization: Bearer)");
        }
        return Optional.of(apiKey == null && tokens == null
                ? "no cluster API key is configured on this node (--cluster-api-key)" : "invalid API key or token");
    }

    /**
     * As {@link #apiAccess}, but a cluster token may come from a node this node does not know yet: in peers
     * mode a node joins by heartbeating, and its token, signed with the cluster secret, is what makes it a
     * node of the cluster.
     */
    Optional<String> joinAccess(Request r) {
        String bearer = ClusterTokens.bearer(r.header("Authorization"));
        if (bearer != null && tokens != null && (apiKey == null || !matches(bearer))) {
            try {
                tokens.verify(bearer, membership.selfId());
                return Optional.empty();
            } catch (ClusterTokenException e) {
                return Optional.of("invalid cluster token: " + e.getMessage());
            }
        }
        return apiAccess(r);
    }

    /** Constant-time comparison, so the key cannot be guessed byte by byte from response times. */
    private boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(candidate.getBytes(StandardCharsets.UTF_8),
                apiKey.getBytes(StandardCharsets.UTF_8));
    }
}
