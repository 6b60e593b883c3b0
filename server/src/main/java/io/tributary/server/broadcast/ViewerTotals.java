package io.tributary.server.broadcast;

/**
 * Viewers other nodes have of a stream, as their heartbeats last reported (a broadcast's viewer counts
 * are cluster totals; relay pulls are not viewers anywhere).
 */
@FunctionalInterface
public interface ViewerTotals {

    /** Viewers of {@code path} ("app/streamId") over {@code protocol} on the other live nodes. */
    int remote(String path, String protocol);

    ViewerTotals NONE = (path, protocol) -> 0;
}
