package io.tributary.cluster.store.redis;

/**
 * The Lua scripts that write and read broadcast records (layout in {@link RedisKeys}). Writes keep the
 * record, the app's id set, the set of apps and the origin index consistent, and publish their event.
 */
final class BroadcastScripts {

    private BroadcastScripts() {
    }

    /**
     * Compare-and-put, behind create, save, update and compareAndSet.
     * KEYS: record hash, the app's id set, the set of apps.
     * ARGV: app, stream id, expected version (0: the record must be absent), new version, json, status,
     * origin node ('' for none).
     * Returns {1, new version} when written, {0, current version (0 when absent)} when not.
     */
    static final LuaScript PUT = LuaScript.writing("put-broadcast", """
            local app, id = ARGV[1], ARGV[2]
            local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
            if current ~= tonumber(ARGV[3]) then
              return {0, current}
            end
            local member = app .. '/' .. id
            local old = redis.call('HMGET', KEYS[1], 'status', 'origin')
            if old[1] == 'broadcasting' and old[2] then
              redis.call('SREM', '@PREFIX@origin:' .. old[2], member)
            end
            local status, origin = ARGV[6], ARGV[7]
            redis.call('HSET', KEYS[1], 'version', ARGV[4], 'status', status, 'json', ARGV[5])
            if origin == '' then
              redis.call('HDEL', KEYS[1], 'origin')
            else
              redis.call('HSET', KEYS[1], 'origin', origin)
              if status == 'broadcasting' then
                redis.call('SADD', '@PREFIX@origin:' .. origin, member)
              end
            end
            redis.call('SADD', KEYS[2], id)
            redis.call('SADD', KEYS[3], app)
            local version = tonumber(ARGV[4])
            redis.call('PUBLISH', '@PREFIX@events',
              cjson.encode({type = 'BROADCAST_CHANGED', app = app, key = id, version = version}))
            return {1, version}
            """);

    /**
     * KEYS: record hash, the app's id set, the set of apps.
     * ARGV: app, stream id, expected version (-1: any).
     * Returns the deleted record's version, 0 when nothing was deleted.
     */
    static final LuaScript DELETE = LuaScript.writing("delete-broadcast", """
            local app, id = ARGV[1], ARGV[2]
            local f = redis.call('HMGET', KEYS[1], 'version', 'status', 'origin')
            if not f[1] then
              return 0
            end
            local version, expected = tonumber(f[1]), tonumber(ARGV[3])
            if expected >= 0 and version ~= expected then
              return 0
            end
            if f[2] == 'broadcasting' and f[3] then
              redis.call('SREM', '@PREFIX@origin:' .. f[3], app .. '/' .. id)
            end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[2], id)
            if redis.call('SCARD', KEYS[2]) == 0 then
              redis.call('SREM', KEYS[3], app)
            end
            redis.call('PUBLISH', '@PREFIX@events',
              cjson.encode({type = 'BROADCAST_DELETED', app = app, key = id, version = version}))
            return version
            """);

    /** KEYS: the app's id set. ARGV: app. Returns the JSON of every record of the app, in one snapshot. */
    static final LuaScript OF_APP = LuaScript.reading("broadcasts-of-app", """
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local json = redis.call('HGET', '@PREFIX@broadcast:' .. ARGV[1] .. '/' .. id, 'json')
              if json then
                out[#out + 1] = json
              end
            end
            return out
            """);

    /** KEYS: the app's id set. ARGV: app, status (its JSON value). Returns how many records have it. */
    static final LuaScript COUNT_STATUS = LuaScript.reading("count-by-status", """
            local n = 0
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              if redis.call('HGET', '@PREFIX@broadcast:' .. ARGV[1] .. '/' .. id, 'status') == ARGV[2] then
                n = n + 1
              end
            end
            return n
            """);

    /** KEYS: the set of apps. Returns app, json, app, json, ... for every record of every app. */
    static final LuaScript ALL = LuaScript.reading("all-broadcasts", """
            local out = {}
            for _, app in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              for _, id in ipairs(redis.call('SMEMBERS', '@PREFIX@broadcasts:' .. app)) do
                local json = redis.call('HGET', '@PREFIX@broadcast:' .. app .. '/' .. id, 'json')
                if json then
                  out[#out + 1] = app
                  out[#out + 1] = json
                end
              end
            end
            return out
            """);

    /** KEYS: the node's origin index. Returns app/id, json, ... for the records it lists. */
    static final LuaScript ON_ORIGIN = LuaScript.reading("broadcasting-on", """
            local out = {}
            for _, member in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local json = redis.call('HGET', '@PREFIX@broadcast:' .. member, 'json')
              if json then
                out[#out + 1] = member
                out[#out + 1] = json
              end
            end
            return out
            """);
}
