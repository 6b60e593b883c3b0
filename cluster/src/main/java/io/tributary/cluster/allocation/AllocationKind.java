package io.tributary.cluster.allocation;

/** What a new client wants to do, and so which role the node that takes it must have. */
public enum AllocationKind {
    /** An encoder: goes to an origin. */
    PUBLISH("origin", "publisher"),
    /** A viewer: goes to an edge that is below every routing threshold. */
    PLAY("edge", "player");

    private final String role;
    private final String client;

    AllocationKind(String role, String client) {
        this.role = role;
        this.client = client;
    }

    /** The node role ({@code origin} or {@code edge}) that takes this kind of client. */
    public String role() {
        return role;
    }

    /** The client's name in messages ("publisher", "player"). */
    public String client() {
        return client;
    }
}
