package io.tributary.cluster.store.mongo;

import com.mongodb.MongoException;
import io.tributary.cluster.store.LocalEvents;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store's subscription to the {@link MongoEventLog}: from the first {@link #subscribe} on, one thread of
 * its own reads the events after the last one it delivered every poll period and hands them to the
 * listeners through {@link LocalEvents}, until the store closes (also when every listener has gone: a poll
 * is one indexed query). The same thread deletes old events now and then.
 *
 * <p>The reader keeps an anchor: the sequence number and token of the last event it delivered (at first,
 * the newest event when it subscribed). Each poll reads from the anchor on; as long as the anchor is still
 * there, what follows it is exactly what was written since, because the log's numbering has no gaps. When
 * the anchor is gone or is another event (the database was emptied, or this store fell further behind than
 * the retention), it delivers every event there is and anchors again: such events may repeat or be missing,
 * which the feed's contract allows and listeners resolve by resynchronising.
 */
final class MongoEventFeed implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MongoEventFeed.class);

    private static final int BATCH = 500;

    private final MongoEventLog eventLog;
    private final Function<MongoException, StoreException> failure;
    private final Duration pollPeriod;
    private final LocalEvents events;
    private final ScheduledExecutorService thread;
    private boolean started;
    // Owned by the feed's thread once started.
    private boolean anchored;
    private long anchorSeq;
    private ObjectId anchorToken;
    private boolean reachable = true;

    MongoEventFeed(MongoEventLog eventLog, Function<MongoException, StoreException> failure,
                   MongoStoreOptions options) {
        this.eventLog = eventLog;
        this.failure = failure;
        this.pollPeriod = options.pollPeriod();
        this.events = new LocalEvents("tributary-mongo-events");
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tributary-mongo-feed");
            t.setDaemon(true);
            return t;
        });
        long cleanup = options.cleanupPeriod().toMillis();
        thread.scheduleWithFixedDelay(this::deleteOld, cleanup, cleanup, TimeUnit.MILLISECONDS);
    }

    /**
     * Adds a listener; the first one starts polling from the newest event. When MongoDB cannot be reached
     * now, polling anchors at the newest event once it can: nothing written before that is delivered.
     */
    synchronized AutoCloseable subscribe(Consumer<StoreEvent> listener) {
        AutoCloseable handle = events.add(listener);
        if (!started) {
            started = true;
            try {
                anchorAtNewest();
            } catch (MongoException | StoreException e) {
                log.debug("could not read the newest event yet; anchoring on the first poll", e);
            }
            long period = pollPeriod.toMillis();
            thread.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
        }
        return handle;
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events.close();
    }

    private void poll() {
        try {
            if (!anchored) {
                anchorAtNewest();
            } else {
                while (readBatch() == BATCH) {
                    // A full batch: more are waiting, so read on without waiting a period.
                }
            }
            if (!reachable) {
                reachable = true;
                log.info("MongoDB change feed resumed");
            }
        } catch (RuntimeException e) {
            if (thread.isShutdown()) {
                return; // the store is closing and the driver was interrupted or closed under this poll
            }
            if (e instanceof MongoException m) {
                paused(failure.apply(m));
            } else if (e instanceof StoreException s) {
                paused(s);
            } else {
                log.warn("MongoDB change feed poll failed", e);
            }
        }
    }

    /** Delivers the events after the anchor and returns how many documents it read. */
    private int readBatch() {
        List<Document> batch = eventLog.from(anchorSeq, BATCH);
        boolean anchorHeld = anchorSeq == 0
                || !batch.isEmpty() && MongoEventLog.seq(batch.get(0)) == anchorSeq
                && Objects.equals(anchorToken, MongoEventLog.token(batch.get(0)));
        if (!anchorHeld) {
            log.info("MongoDB event {} is gone (the database was emptied, or this node fell behind by more than "
                    + "the retention); delivering the events there are", anchorSeq);
            anchorSeq = 0;
            anchorToken = null;
            batch = eventLog.from(0, BATCH);
        }
        for (Document d : batch) {
            if (MongoEventLog.seq(d) == anchorSeq) {
                continue;
            }
            MongoEventLog.decode(d).ifPresent(events::publish);
            anchorSeq = MongoEventLog.seq(d);
            anchorToken = MongoEventLog.token(d);
        }
        return batch.size();
    }

    private void anchorAtNewest() {
        Document newest = eventLog.newest().orElse(null);
        anchorSeq = newest == null ? 0 : MongoEventLog.seq(newest);
        anchorToken = newest == null ? null : MongoEventLog.token(newest);
        anchored = true;
    }

    private void paused(StoreException e) {
        if (reachable) {
            reachable = false;
            log.warn("MongoDB change feed paused: {}", e.getMessage());
        }
    }

    private void deleteOld() {
        try {
            long deleted = eventLog.deleteOld();
            if (deleted > 0) {
                log.debug("deleted {} old events", deleted);
            }
        } catch (MongoException | StoreException e) {
            log.debug("could not delete old events: {}", e.getMessage());
        } catch (RuntimeException e) {
            if (!thread.isShutdown()) {
                log.warn("deleting old events failed", e);
            }
        }
    }
}
