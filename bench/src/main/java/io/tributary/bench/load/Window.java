package io.tributary.bench.load;

/**
 * A measurement window: the frames with sequence numbers {@code from <= seq < to} count. Players compare
 * their {@code epoch} with it to start their window counters afresh, so opening a window needs no task
 * on every event loop. Before the first window nothing counts.
 */
record Window(int epoch, long from, long to) {
    static final Window NONE = new Window(0, Long.MAX_VALUE, Long.MAX_VALUE);

    boolean contains(long seq) {
        return seq >= from && seq < to;
    }
}
