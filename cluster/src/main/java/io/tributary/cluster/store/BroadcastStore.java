package io.tributary.cluster.store;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where a node keeps its broadcast records, keyed by app and stream id. One interface, several
 * engines (embedded today; Redis and MongoDB later), so nothing here names an engine's types.
 *
 * <p>Every engine is thread-safe, hands out copies (changing a returned record changes nothing
 * until it is saved), rejects an app name or stream id that {@link
 * io.tributary.cluster.broadcast.StreamIds} refuses with an IllegalArgumentException, fails with
 * {@link StoreException} when its storage does, and throws IllegalStateException("store is
 * closed") from every method once closed.
 */
public interface BroadcastStore extends AutoCloseable {

    /** Ant Media Server caps list pages at 50; larger requests get 50. */
    int MAX_PAGE_SIZE = 50;

    Optional<Broadcast> get(String app, String streamId);

    /**
     * Inserts if absent, with version 1; returns false (and changes nothing) when a record with
     * that id exists. Atomic: of several racing creates, exactly one wins.
     */
    boolean create(String app, Broadcast broadcast);

    /** Inserts or replaces; sets version = previous version + 1 (1 when new) and returns the saved copy. */
    Broadcast save(String app, Broadcast broadcast);

    /**
     * Applies {@code change} to a copy of the current record atomically (compare-and-set loop) and
     * returns the new record, or empty when absent. {@code change} may run more than once under
     * contention, so it must only modify the record it is given (it may return that record or
     * another one with the same stream id) and must not call the store; the store sets the version.
     */
    Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change);

    /** Returns whether a record was removed. */
    boolean delete(String app, String streamId);

    /**
     * A page of one app's records after filtering and sorting by {@code query}. {@code offset}
     * and {@code size} must not be negative; {@code size} is capped at {@link #MAX_PAGE_SIZE}.
     */
    List<Broadcast> list(String app, int offset, int size, BroadcastQuery query);

    long count(String app);

    long countByStatus(String app, BroadcastStatus status);

    /** Every record of every app, for start-up recovery. Key = app. */
    Map<String, List<Broadcast>> all();

    /** Makes everything written so far durable (survives a crash or power loss) before returning. */
    void flush();

    /** Makes everything written durable and releases the storage; idempotent. */
    @Override
    void close();
}
