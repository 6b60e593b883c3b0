package io.tributary.cluster.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.tributary.cluster.store.RecordKind;
import io.tributary.cluster.store.Records;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The records of {@link RedisStore} (users, one-time tokens): each a string key
 * {@code tributary:record:{kind}:{key}} holding the JSON, with Redis's own expiry (PXAT) when it has one, and
 * the set {@code tributary:records:{kind}} of its keys for listing. Every write is a script, so the set
 * follows the records; a key that expired leaves the set the next time the kind is listed.
 */
final class RedisRecords {

    /** KEYS: record, index. ARGV: key, JSON, expiresAt (0 = never), "NX" or "". Returns 1 when written. */
    private static final LuaScript SET = LuaScript.writing("set-record", """
            local args = {'SET', KEYS[1], ARGV[2]}
            if ARGV[4] == 'NX' then table.insert(args, 'NX') end
            if ARGV[3] ~= '0' then table.insert(args, 'PXAT'); table.insert(args, ARGV[3]) end
            if redis.call(unpack(args)) then
              redis.call('SADD', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """);

    /** KEYS: record, index. ARGV: key. Returns the JSON that was there (nil when none), removing it. */
    private static final LuaScript TAKE = LuaScript.writing("take-record", """
            local value = redis.call('GET', KEYS[1])
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[2], ARGV[1])
            return value
            """);

    /** KEYS: index. ARGV: record key prefix. Returns key, JSON, key, JSON... and drops expired keys from the set. */
    private static final LuaScript LIST = LuaScript.writing("list-records", """
            local found = {}
            for _, key in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local value = redis.call('GET', ARGV[1] .. key)
              if value then
                table.insert(found, key)
                table.insert(found, value)
              else
                redis.call('SREM', KEYS[1], key)
              end
            end
            return found
            """);

    private final RedisCommands<String, String> redis;

    RedisRecords(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    boolean insert(RecordKind kind, String key, String json, long expiresAt) {
        return set(kind, key, json, expiresAt, "NX");
    }

    void put(RecordKind kind, String key, String json, long expiresAt) {
        set(kind, key, json, expiresAt, "");
    }

    Optional<String> get(RecordKind kind, String key) {
        return Optional.ofNullable(redis.get(RedisKeys.record(kind.id(), Records.requireValidKey(kind, key))));
    }

    SortedMap<String, String> all(RecordKind kind) {
        List<String> pairs = LIST.run(redis, ScriptOutputType.MULTI, new String[] {RedisKeys.records(kind.id())},
                RedisKeys.record(kind.id(), ""));
        SortedMap<String, String> found = new TreeMap<>();
        for (int i = 0; i + 1 < pairs.size(); i += 2) {
            found.put(pairs.get(i), pairs.get(i + 1));
        }
        return found;
    }

    Optional<String> take(RecordKind kind, String key) {
        String json = TAKE.run(redis, ScriptOutputType.VALUE, keys(kind, key), key);
        return Optional.ofNullable(json);
    }

    private boolean set(RecordKind kind, String key, String json, long expiresAt, String mode) {
        Records.requireExpiry(expiresAt);
        Long written = SET.run(redis, ScriptOutputType.INTEGER, keys(kind, key), key, Records.requireJson(json),
                Long.toString(expiresAt), mode);
        return written == 1;
    }

    private static String[] keys(RecordKind kind, String key) {
        return new String[] {RedisKeys.record(kind.id(), Records.requireValidKey(kind, key)),
                RedisKeys.records(kind.id())};
    }
}
