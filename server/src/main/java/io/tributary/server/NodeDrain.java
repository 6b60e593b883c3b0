package io.tributary.server;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this node drains: it takes no new publishers or players (load balancers see /health answer
 * 503 and stop sending them) while the current ones carry on.
 */
public final class NodeDrain {
    private final AtomicBoolean draining = new AtomicBoolean();

    public boolean isDraining() {
        return draining.get();
    }

    /** Returns whether this changed the state. */
    public boolean set(boolean on) {
        return draining.getAndSet(on) != on;
    }
}
