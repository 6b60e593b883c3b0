package io.tributary.server.cluster;

import io.tributary.cluster.comm.ClusterTokenException;
import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.cluster.comm.VerifiedToken;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.relay.RelayTokens;
import io.tributary.media.StreamPath;
import java.util.Optional;

/**
 * Decides, on an origin, whether a play request is another node's relay pull: it must carry a cluster
 * token addressed to this node, issued by a node of the cluster, scoped to exactly that stream.
 */
public final class RelayAuthorizer {
    /** The query parameter a relay pull carries its token in. */
    public static final String PARAM = "clusterToken";

    private final ClusterTokens tokens;
    private final Membership membership;

    RelayAuthorizer(ClusterTokens tokens, Membership membership) {
        this.tokens = tokens;
        this.membership = membership;
    }

    /** Empty when the token lets its issuer pull {@code path} from this node; otherwise why not. */
    public Optional<String> check(String token, StreamPath path) {
        if (tokens == null) {
            return Optional.of("this node has no cluster secret and serves no relays");
        }
        try {
            VerifiedToken verified = tokens.verify(token, membership.selfId());
            if (!membership.knownIds().contains(verified.issuer())) {
                return Optional.of("token issued by " + verified.issuer() + ", which is not a node of this cluster");
            }
            if (!RelayTokens.scope(path).equals(verified.stringClaim("scope"))) {
                return Optional.of("token is not for pulling " + path);
            }
            return Optional.empty();
        } catch (ClusterTokenException e) {
            return Optional.of(e.getMessage());
        }
    }
}
