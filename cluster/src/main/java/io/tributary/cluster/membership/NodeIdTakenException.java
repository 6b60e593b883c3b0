package io.tributary.cluster.membership;

/** Another live node holds the id this node was started with. */
public final class NodeIdTakenException extends RuntimeException {
    public NodeIdTakenException(String message) {
        super(message);
    }
}
