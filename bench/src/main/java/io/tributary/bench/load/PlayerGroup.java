package io.tributary.bench.load;

import java.time.Duration;

/** The players of one level, whatever their protocol: started, measured over a window, closed. */
public interface PlayerGroup extends AutoCloseable {
    /** Waits until every player has its first frame or failed; returns how many play. */
    int awaitPlaying(Duration timeout) throws InterruptedException;

    /** Opens the measurement window: what arrives from now on counts. */
    void startWindow();

    /** Closes the window, waiting {@code settle} for what it published to arrive, and sums it up. */
    LevelResult endWindow(Duration settle) throws InterruptedException;

    @Override
    void close();
}
