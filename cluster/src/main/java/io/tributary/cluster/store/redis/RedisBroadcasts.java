package io.tributary.cluster.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.store.AppBroadcast;
import io.tributary.cluster.store.BroadcastCodec;
import io.tributary.cluster.store.BroadcastPages;
import io.tributary.cluster.store.BroadcastQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The broadcast half of {@link RedisStore}: records, their indexes and their compare-and-set loops, on
 * the connection the store guards. Every write is one script call ({@link BroadcastScripts}); the loops
 * (save, update) retry only when another node wrote in between, so some node always makes progress.
 */
final class RedisBroadcasts {

    private final RedisCommands<String, String> redis;

    RedisBroadcasts(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    Optional<Broadcast> get(String app, String streamId) {
        String key = key(app, streamId);
        return Optional.ofNullable(redis.hget(key, "json")).map(json -> decode(key, json));
    }

    boolean create(String app, Broadcast broadcast) {
        key(app, broadcast.getStreamId());
        return put(app, broadcast.copy(), 0) == 0;
    }

    Broadcast save(String app, Broadcast broadcast) {
        key(app, broadcast.getStreamId());
        Broadcast next = broadcast.copy();
        // Assume a new record first; a refusal says which version to replace, so no separate read is needed.
        long expected = 0;
        while (true) {
            long current = put(app, next, expected);
            if (current == expected) {
                return next.copy();
            }
            expected = current;
        }
    }

    Optional<Broadcast> update(String app, String streamId, UnaryOperator<Broadcast> change) {
        Objects.requireNonNull(change, "change");
        while (true) {
            Optional<Broadcast> current = get(app, streamId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            long version = current.get().getVersion();
            Broadcast next = checked(change.apply(current.get()), streamId);
            if (put(app, next, version) == version) {
                return Optional.of(next.copy());
            }
        }
    }

    Optional<Broadcast> compareAndSet(String app, Broadcast replacement, long expectedVersion) {
        key(app, replacement.getStreamId());
        if (expectedVersion < 1) {
            return Optional.empty(); // versions start at 1, and 0 would mean "create" to the script
        }
        Broadcast next = replacement.copy();
        return put(app, next, expectedVersion) == expectedVersion ? Optional.of(next.copy()) : Optional.empty();
    }

    boolean delete(String app, String streamId) {
        return remove(app, streamId, -1);
    }

    boolean deleteIfVersion(String app, String streamId, long expectedVersion) {
        key(app, streamId);
        return expectedVersion >= 1 && remove(app, streamId, expectedVersion);
    }

    List<AppBroadcast> broadcastingOn(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        List<Object> flat = BroadcastScripts.ON_ORIGIN.run(redis, ScriptOutputType.MULTI,
                new String[] {RedisKeys.PREFIX + "origin:" + nodeId});
        List<AppBroadcast> found = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String member = (String) flat.get(i);
            Broadcast b = decode(RedisKeys.PREFIX + "broadcast:" + member, (String) flat.get(i + 1));
            // The index is kept by the same scripts as the records; checking again costs nothing.
            if (b.getStatus() == BroadcastStatus.BROADCASTING && nodeId.equals(b.getOriginNode())) {
                found.add(new AppBroadcast(member.substring(0, member.indexOf('/')), b));
            }
        }
        return found;
    }

    List<Broadcast> list(String app, int offset, int size, BroadcastQuery query) {
        Objects.requireNonNull(query, "query");
        BroadcastPages.limit(offset, size);
        return BroadcastPages.page(records(app).stream(), offset, size, query);
    }

    long count(String app) {
        return redis.scard(RedisKeys.broadcasts(StreamIds.requireValid(app, "app name")));
    }

    long countByStatus(String app, BroadcastStatus status) {
        Objects.requireNonNull(status, "status");
        Long n = BroadcastScripts.COUNT_STATUS.run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.broadcasts(StreamIds.requireValid(app, "app name"))}, app, status.jsonValue());
        return n;
    }

    Map<String, List<Broadcast>> all() {
        List<Object> flat = BroadcastScripts.ALL.run(redis, ScriptOutputType.MULTI, new String[] {RedisKeys.APPS});
        Map<String, List<Broadcast>> byApp = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            String app = (String) flat.get(i);
            Broadcast b = decode(RedisKeys.PREFIX + "broadcasts:" + app, (String) flat.get(i + 1));
            byApp.computeIfAbsent(app, a -> new ArrayList<>()).add(b);
        }
        return byApp;
    }

    private List<Broadcast> records(String app) {
        String ids = RedisKeys.broadcasts(StreamIds.requireValid(app, "app name"));
        List<Object> jsons = BroadcastScripts.OF_APP.run(redis, ScriptOutputType.MULTI, new String[] {ids}, app);
        List<Broadcast> records = new ArrayList<>(jsons.size());
        for (Object json : jsons) {
            records.add(decode(ids, (String) json));
        }
        return records;
    }

    /**
     * Writes {@code next} with version {@code expected + 1} if the stored version is still {@code expected}
     * (0: absent). Returns {@code expected} when written, else the stored version (0 when absent).
     */
    private long put(String app, Broadcast next, long expected) {
        String streamId = next.getStreamId();
        next.setVersion(expected + 1);
        String origin = next.getOriginNode() == null ? "" : next.getOriginNode();
        String status = next.getStatus() == null ? "" : next.getStatus().jsonValue();
        List<Object> reply = BroadcastScripts.PUT.run(redis, ScriptOutputType.MULTI,
                new String[] {RedisKeys.broadcast(app, streamId), RedisKeys.broadcasts(app), RedisKeys.APPS},
                app, streamId, Long.toString(expected), Long.toString(expected + 1), BroadcastCodec.encode(next),
                status, origin);
        boolean written = (Long) reply.get(0) == 1;
        return written ? expected : (Long) reply.get(1);
    }

    private boolean remove(String app, String streamId, long expectedVersion) {
        Long deleted = BroadcastScripts.DELETE.run(redis, ScriptOutputType.INTEGER,
                new String[] {key(app, streamId), RedisKeys.broadcasts(app), RedisKeys.APPS},
                app, streamId, Long.toString(expectedVersion));
        return deleted > 0;
    }

    private static Broadcast decode(String where, String json) {
        return BroadcastCodec.decode(json, where);
    }

    private static Broadcast checked(Broadcast next, String streamId) {
        if (next == null) {
            throw new IllegalArgumentException("update of " + streamId + " returned no broadcast");
        }
        if (!streamId.equals(next.getStreamId())) {
            throw new IllegalArgumentException(
                    "update of " + streamId + " must not change the stream id (to " + next.getStreamId() + ")");
        }
        return next.copy();
    }

    /** Validates both names (IllegalArgumentException as the interface requires) and returns the record key. */
    private static String key(String app, String streamId) {
        return RedisKeys.broadcast(StreamIds.requireValid(app, "app name"), StreamIds.requireValid(streamId, "stream id"));
    }
}
