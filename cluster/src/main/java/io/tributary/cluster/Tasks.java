package io.tributary.cluster;

import java.util.function.BooleanSupplier;
import org.slf4j.Logger;

/** Periodic cluster work that must neither run after its owner stopped nor kill its timer when it fails. */
public final class Tasks {

    private Tasks() {
    }

    /**
     * {@code task}, skipped once {@code stopped} answers true, with a failure logged as {@code what failed}
     * (a scheduled task that throws is never run again).
     */
    public static Runnable guarded(BooleanSupplier stopped, Logger log, String what, Runnable task) {
        return () -> {
            if (stopped.getAsBoolean()) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("{} failed", what, e);
            }
        };
    }
}
