package io.tributary.cluster.store;

import java.util.Optional;

/**
 * A node's own identity on its local disk: generated once at first start and reused at every
 * restart, so the cluster sees a restarted node as the same node. Local even when broadcast
 * records live in a shared database.
 */
public interface NodeFiles {

    Optional<String> readNodeId();

    /** Stores the id durably before returning. */
    void writeNodeId(String id);
}
