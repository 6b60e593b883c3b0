package io.tributary.server.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a test opened (nodes, processes, sockets), closed newest first when the test ends. A test class keeps
 * one in a field marked {@code @AutoClose}.
 */
public final class Cleanup implements AutoCloseable {
    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    /** Returns {@code resource}, to be closed with the others. */
    public <T extends AutoCloseable> T add(T resource) {
        open.push(resource);
        return resource;
    }

    @Override
    public void close() throws Exception {
        AutoCloseable c;
        while ((c = open.poll()) != null) {
            c.close();
        }
    }
}
