package io.tributary.cluster.store;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands store events to listeners on one thread of its own, in order, so that a listener never runs on
 * (or blocks) the thread that wrote. Engines whose service has its own feed (Redis pub/sub) use this to
 * deliver what that feed brings.
 */
public final class LocalEvents implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalEvents.class);

    private final List<Consumer<StoreEvent>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService thread;

    public LocalEvents(String threadName) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds a listener; closing the handle removes it. */
    public AutoCloseable add(Consumer<StoreEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    public void publish(StoreEvent event) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            thread.execute(() -> {
                for (Consumer<StoreEvent> l : listeners) {
                    try {
                        l.accept(event);
                    } catch (RuntimeException e) {
                        log.warn("store event listener failed on {}", event, e);
                    }
                }
            });
        } catch (RejectedExecutionException closed) {
            // The store is closing; nobody is listening any more.
        }
    }

    @Override
    public void close() {
        listeners.clear();
        thread.shutdownNow();
    }
}
