package io.tributary.cluster.store.mongo;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * The tunables of the MongoDB engine. Only {@code timeout} is configuration; the rest have fixed
 * defaults and exist so that tests can shorten them and move time instead of waiting.
 *
 * @param timeout server selection, connect and socket-read timeout, unless the connection string sets them
 * @param pollPeriod how often a subscribed store reads new events
 * @param eventRetention how long an event stays in the {@code events} collection; a subscriber that falls
 *     further behind than this (a long pause, a partition) misses events and resynchronises as after a reconnect
 * @param cleanupPeriod how often each store deletes events older than the retention
 * @param clock stamps events with their {@code at} time
 */
record MongoStoreOptions(Duration timeout, Duration pollPeriod, Duration eventRetention, Duration cleanupPeriod,
                         Clock clock) {

    static final Duration POLL_PERIOD = Duration.ofMillis(200);
    static final Duration EVENT_RETENTION = Duration.ofMinutes(10);
    static final Duration CLEANUP_PERIOD = Duration.ofMinutes(1);

    MongoStoreOptions {
        requirePositive(timeout, "timeout");
        requirePositive(pollPeriod, "pollPeriod");
        requirePositive(eventRetention, "eventRetention");
        requirePositive(cleanupPeriod, "cleanupPeriod");
        Objects.requireNonNull(clock, "clock");
    }

    static MongoStoreOptions defaults(Duration timeout) {
        return new MongoStoreOptions(timeout, POLL_PERIOD, EVENT_RETENTION, CLEANUP_PERIOD, Clock.systemUTC());
    }

    MongoStoreOptions withClock(Clock newClock) {
        return new MongoStoreOptions(timeout, pollPeriod, eventRetention, cleanupPeriod, newClock);
    }

    MongoStoreOptions withCleanupPeriod(Duration period) {
        return new MongoStoreOptions(timeout, pollPeriod, eventRetention, period, clock);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
