package io.tributary.rtmp.chunk;

import io.netty.util.collection.IntObjectHashMap;
import java.util.function.Consumer;

/**
 * Per-chunk-stream state by chunk stream id: an array for the ids below 64, which are the ones
 * peers actually use and cost one byte on the wire, and a map for the rest of the 2..65599 range.
 */
final class ChunkStreamMap<T> {

    private static final int LOW_IDS = 64;

    private final Object[] low = new Object[LOW_IDS];
    private IntObjectHashMap<T> high;
    private int size;

    @SuppressWarnings("unchecked")
    T get(int csid) {
        if (csid < LOW_IDS) {
            return (T) low[csid];
        }
        return high == null ? null : high.get(csid);
    }

    /** Adds state for a chunk stream that has none yet. */
    void add(int csid, T state) {
        if (csid < LOW_IDS) {
            low[csid] = state;
        } else {
            if (high == null) {
                high = new IntObjectHashMap<>();
            }
            high.put(csid, state);
        }
        size++;
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    void forEach(Consumer<T> action) {
        for (Object state : low) {
            if (state != null) {
                action.accept((T) state);
            }
        }
        if (high != null) {
            high.values().forEach(action);
        }
    }
}
