package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How {@link BroadcastStore#list} filters and orders a page, as Ant Media Server's
 * {@code list/{offset}/{size}?sort_by=&order_by=&search=} does. Every engine orders the same way:
 * {@code date} by creation time, {@code name} case-insensitively (no name first),
 * {@code status} by its JSON value ("broadcasting" &lt; "created" &lt; "finished", as a database
 * sorting the stored string would), {@code streamId} by the id; ties by stream id, so pages are
 * stable. The search matches a case-insensitive substring of the stream id or the name.
 *
 * @param sortBy {@code date}, {@code name}, {@code status} or {@code streamId} (any case); null or
 *     blank means {@code date}
 * @param search null or blank means no filter
 */
public record BroadcastQuery(String sortBy, boolean descending, String search) {

    public static final List<String> SORT_KEYS = List.of("date", "name", "status", "streamId");

    /** Oldest first, unfiltered. */
    public static final BroadcastQuery DEFAULT = new BroadcastQuery("date", false, null);

    private static final Comparator<Broadcast> BY_STREAM_ID =
            Comparator.comparing(Broadcast::getStreamId, Comparator.nullsFirst(Comparator.naturalOrder()));

    public BroadcastQuery {
        sortBy = canonicalSortKey(sortBy);
        search = search == null || search.isBlank() ? null : search.strip();
    }

    public boolean matches(Broadcast broadcast) {
        if (search == null) {
            return true;
        }
        String needle = search.toLowerCase(Locale.ROOT);
        return contains(broadcast.getStreamId(), needle) || contains(broadcast.getName(), needle);
    }

    public Comparator<Broadcast> comparator() {
        Comparator<Broadcast> primary;
        switch (sortBy) {
            case "name":
                primary = Comparator.comparing(Broadcast::getName,
                        Comparator.nullsFirst(String.CASE_INSENSITIVE_ORDER));
                break;
            case "status":
                primary = Comparator.comparing(b -> b.getStatus() == null ? "" : b.getStatus().jsonValue());
                break;
            case "streamId":
                primary = BY_STREAM_ID;
                break;
            default:
                primary = Comparator.comparingLong(Broadcast::getDate);
        }
        Comparator<Broadcast> order = primary.thenComparing(BY_STREAM_ID);
        return descending ? order.reversed() : order;
    }

    private static String canonicalSortKey(String sortBy) {
        if (sortBy == null || sortBy.isBlank()) {
            return "date";
        }
        for (String key : SORT_KEYS) {
            if (key.equalsIgnoreCase(sortBy.strip())) {
                return key;
            }
        }
        throw new IllegalArgumentException("cannot sort broadcasts by '" + sortBy + "' (use one of " + SORT_KEYS + ")");
    }

    private static boolean contains(String value, String lowerCaseNeedle) {
        return value != null && value.toLowerCase(Locale.ROOT).contains(lowerCaseNeedle);
    }
}
