package io.tributary.cluster.store;

/**
 * The kinds of small records a store keeps besides broadcasts, nodes and settings. Each kind is its own key
 * space; a record is a JSON document under a key, with an optional expiry.
 */
public enum RecordKind {
    /** Dashboard and REST users, keyed by user name. */
    USER("user"),
    /** One-time stream tokens (publish or play), keyed by token id; used up by {@link ClusterStore#takeRecord}. */
    STREAM_TOKEN("token"),
    /** Keys the cluster shares and generates once, such as the key that signs REST sign-in tokens. */
    SECRET("secret"),
    /**
     * Peers mode only: the node's own copy of a replicated broadcast record ({@code store.peers.Replica}), keyed
     * by stream path, kept in its local file so that it outlives a restart.
     */
    PEER_REPLICA("replica");

    private final String id;

    RecordKind(String id) {
        this.id = id;
    }

    /** The kind's name in keys and documents: {@code user}, {@code token}. */
    public String id() {
        return id;
    }
}
