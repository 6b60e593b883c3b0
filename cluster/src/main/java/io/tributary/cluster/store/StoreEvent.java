package io.tributary.cluster.store;

/**
 * A change in the cluster store, as engines announce it (Redis pub/sub, MongoDB polling, in-process for
 * the embedded engine). Delivery is best effort: an event may be lost (a reconnect) or arrive twice, and
 * a node also hears its own writes; listeners therefore compare versions and resynchronise periodically.
 *
 * @param type what changed
 * @param app the application, for broadcast and settings events; null otherwise
 * @param key the stream id, or the node id for node events
 * @param version the broadcast or settings version, or the node's heartbeat counter
 */
public record StoreEvent(Type type, String app, String key, long version) {

    /** What changed. */
    public enum Type {
        BROADCAST_CHANGED,
        BROADCAST_DELETED,
        /**
         * A record was replaced by one that need not look newer (peers mode: another node's copy won a
         * merge, possibly with a lower version): caches take the store's record as it is.
         */
        BROADCAST_REPLACED,
        NODE_HEARTBEAT,
        /** Registered, removed or marked dead. */
        NODE_CHANGED,
        SETTINGS_CHANGED
    }
}
