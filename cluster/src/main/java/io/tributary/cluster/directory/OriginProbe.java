package io.tributary.cluster.directory;

import io.tributary.cluster.node.NodeRecord;
import java.time.Duration;

/** Asks a node whether it is serving: its internal health check, answered within the timeout. */
@FunctionalInterface
public interface OriginProbe {

    boolean answers(NodeRecord node, Duration timeout);
}
