package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The paging rules of {@link BroadcastStore#list}, shared so every engine pages the same way. */
public final class BroadcastPages {

    private BroadcastPages() {}

    /** Validates a page request and returns how many records it may hold. */
    public static int limit(int offset, int size) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative: " + size);
        }
        return Math.min(size, BroadcastStore.MAX_PAGE_SIZE);
    }

    /** Filters, sorts and pages records held in memory. */
    public static List<Broadcast> page(Stream<Broadcast> records, int offset, int size, BroadcastQuery query) {
        int limit = limit(offset, size);
        return records.filter(query::matches)
                .sorted(query.comparator())
                .skip(offset)
                .limit(limit)
                .collect(Collectors.toList());
    }
}
