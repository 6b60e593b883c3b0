package io.tributary.server.cli;

import io.tributary.server.TributaryNode;
import io.tributary.server.config.NodeConfig;

/** Starts a node for {@code tributary start}; a seam so the command can be tested without binding ports. */
@FunctionalInterface
public interface NodeStarter {

    /**
     * Starts a node and returns once it serves.
     *
     * @return what stops the node again
     */
    Runnable start(NodeConfig config) throws Exception;

    /** The real node. A node that fails half-way through starting is stopped so it releases what it bound. */
    static NodeStarter tributaryNode() {
        return config -> {
            TributaryNode node = new TributaryNode(config);
            try {
                node.start();
            } catch (Exception e) {
                try {
                    node.stop();
                } catch (RuntimeException stopFailure) {
                    e.addSuppressed(stopFailure);
                }
                throw e;
            }
            return node::stop;
        };
    }
}
