package io.tributary.cluster.store.mongo;

import com.mongodb.MongoException;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Sorts;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code events} collection: the change feed's log, in place of change streams (which need a replica
 * set's oplog).
 *
 * <pre>
 * {_id: 17 (int64 sequence number), token: ObjectId, type: "BROADCAST_CHANGED", app: "live", key: "cam1",
 *  version: 3 (int64), at: ISODate}
 * </pre>
 *
 * <p>The sequence is dense and grows in commit order, so a reader that has seen event n and then sees n + 2
 * knows n + 1 is not coming: a writer inserts {@code newest + 1} and, on a duplicate key (another writer took
 * that number), reads the newest again and retries. Event n + 1 can only be inserted after its writer saw n
 * committed, so no number is ever skipped or filled in late. (A counter document handed out by
 * {@code $inc} would let n + 1 commit before n, and a poller would have to guess how long to wait for n.)
 * {@code token} tells a reader whether event n is still the event it saw, or a new history after the
 * database was emptied. {@code at} is the writer's clock, used only to delete old events: the newest event
 * is always kept, so numbering never starts over while the database lives.
 */
final class MongoEventLog {
    private static final Logger log = LoggerFactory.getLogger(MongoEventLog.class);

    /** Each failed attempt means another writer appended; this bound is only a guard against a bug. */
    private static final int MAX_ATTEMPTS = 1000;

    private final MongoCollection<Document> events;
    private final Clock clock;
    private final Duration retention;
    private final String where;

    MongoEventLog(MongoCollection<Document> events, Clock clock, Duration retention, String where) {
        this.events = events;
        this.clock = clock;
        this.retention = retention;
        this.where = where;
    }

    /**
     * Appends after a write has happened. Best effort by the feed's contract: a write is never reported as
     * failed because its announcement could not be stored (listeners resynchronise), so this logs instead of
     * throwing.
     */
    void announce(StoreEvent event) {
        try {
            append(event);
        } catch (MongoException | StoreException e) {
            log.warn("a {} event for {} was written to MongoDB at {} but could not be announced: {}", event.type(),
                    event.key(), where, e.getMessage());
        }
    }

    /** Appends and returns the event's sequence number. */
    long append(StoreEvent event) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            long seq = newest().map(MongoEventLog::seq).orElse(0L) + 1;
            Document doc = new Document("_id", seq)
                    .append("token", new ObjectId())
                    .append("type", event.type().name())
                    .append("app", event.app())
                    .append("key", event.key())
                    .append("version", event.version())
                    .append("at", new Date(clock.millis()));
            try {
                events.insertOne(doc);
                return seq;
            } catch (MongoException e) {
                if (!MongoConnection.isDuplicateKey(e)) {
                    throw e;
                }
            }
        }
        throw new StoreException("gave up appending an event after " + MAX_ATTEMPTS + " attempts");
    }

    Optional<Document> newest() {
        return Optional.ofNullable(events.find().sort(Sorts.descending("_id")).limit(1).first());
    }

    /** Up to {@code limit} events with sequence numbers from {@code seq} on, oldest first. */
    List<Document> from(long seq, int limit) {
        return events.find(Filters.gte("_id", seq)).sort(Sorts.ascending("_id")).limit(limit)
                .into(new ArrayList<>(limit));
    }

    /**
     * Deletes events older than the retention, measured against the newest event's time so that the
     * cleaning node's clock does not matter; keeps the newest event. Returns how many it deleted.
     */
    long deleteOld() {
        Optional<Document> newest = newest();
        if (newest.isEmpty() || !(newest.get().get("at") instanceof Date newestAt)) {
            return 0;
        }
        Date cutoff = new Date(newestAt.getTime() - retention.toMillis());
        return events.deleteMany(Filters.and(Filters.lt("_id", seq(newest.get())), Filters.lt("at", cutoff)))
                .getDeletedCount();
    }

    static long seq(Document event) {
        return ((Number) event.get("_id")).longValue();
    }

    static ObjectId token(Document event) {
        return event.getObjectId("token");
    }

    /** The event a document holds; empty for a document this version does not understand. */
    static Optional<StoreEvent> decode(Document d) {
        try {
            StoreEvent.Type type = StoreEvent.Type.valueOf(d.getString("type"));
            Object version = d.get("version");
            return Optional.of(new StoreEvent(type, d.getString("app"), d.getString("key"),
                    version instanceof Number n ? n.longValue() : 0));
        } catch (IllegalArgumentException | NullPointerException | ClassCastException e) {
            log.debug("skipping unreadable event {}", d, e);
            return Optional.empty();
        }
    }
}
