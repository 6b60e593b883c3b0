package io.tributary.cluster.relay;

import io.tributary.media.StreamPath;

/** Makes the cluster token an edge presents to an origin to pull a stream. */
@FunctionalInterface
public interface RelayTokens {

    /** A token addressed to {@code originNodeId}, scoped to pulling {@code path}. */
    String tokenFor(String originNodeId, StreamPath path);

    /** The claim value a relay token carries in its "scope" claim. */
    static String scope(StreamPath path) {
        return "relay:" + path;
    }
}
