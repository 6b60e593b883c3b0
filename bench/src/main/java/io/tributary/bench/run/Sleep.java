package io.tributary.bench.run;

import java.time.Duration;

/** Sleeping that turns an interrupt into an exception, so a run stopped with Ctrl-C ends promptly. */
final class Sleep {
    private Sleep() {
    }

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static void of(Duration d) {
        millis(d.toMillis());
    }
}
