package io.tributary.cluster.store.redis;

/**
 * The Lua scripts for node records and application settings (layout in {@link RedisKeys}; a node's hash
 * fields in {@link NodeFields}). Heartbeat and markDead decide on the server, in one step, whether they may
 * write: that is what makes "exactly one survivor declares a node dead" hold across nodes.
 */
final class NodeScripts {

    private NodeScripts() {
    }

    /**
     * Registration or takeover: replaces the whole hash.
     * KEYS: node hash, set of node ids. ARGV: node id, heartbeat counter, then field, value, field, value...
     */
    static final LuaScript PUT = LuaScript.writing("put-node", """
            redis.call('DEL', KEYS[1])
            redis.call('HSET', KEYS[1], unpack(ARGV, 3))
            redis.call('SADD', KEYS[2], ARGV[1])
            redis.call('PUBLISH', '@PREFIX@events',
              cjson.encode({type = 'NODE_CHANGED', key = ARGV[1], version = tonumber(ARGV[2])}))
            return 1
            """);

    /**
     * KEYS: node hash. ARGV: node id, instance, load JSON, now.
     * Returns the updated hash (field, value, ...), or an empty list when the record is missing or belongs
     * to another instance.
     */
    static final LuaScript HEARTBEAT = LuaScript.writing("heartbeat", """
            if redis.call('HGET', KEYS[1], 'instance') ~= ARGV[2] then
              return {}
            end
            local counter = redis.call('HINCRBY', KEYS[1], 'heartbeat', 1)
            redis.call('HSET', KEYS[1], 'load', ARGV[3], 'updatedAt', ARGV[4])
            redis.call('PUBLISH', '@PREFIX@events',
              cjson.encode({type = 'NODE_HEARTBEAT', key = ARGV[1], version = counter}))
            return redis.call('HGETALL', KEYS[1])
            """);

    /**
     * KEYS: node hash. ARGV: node id, the heartbeat counter the caller saw stop.
     * Returns 1 for the one caller that marks the node, 0 for everyone else.
     */
    static final LuaScript MARK_DEAD = LuaScript.writing("mark-dead", """
            local f = redis.call('HMGET', KEYS[1], 'heartbeat', 'deadAtHeartbeat')
            local at = tonumber(ARGV[2])
            if not f[1] or tonumber(f[1]) ~= at or tonumber(f[2]) == at then
              return 0
            end
            redis.call('HSET', KEYS[1], 'deadAtHeartbeat', ARGV[2])
            redis.call('PUBLISH', '@PREFIX@events',
              cjson.encode({type = 'NODE_CHANGED', key = ARGV[1], version = at}))
            return 1
            """);

    /** KEYS: node hash, set of node ids. ARGV: node id. Returns 1 when a record was removed. */
    static final LuaScript REMOVE = LuaScript.writing("remove-node", """
            if redis.call('DEL', KEYS[1]) == 0 then
              return 0
            end
            redis.call('SREM', KEYS[2], ARGV[1])
            redis.call('PUBLISH', '@PREFIX@events',
              cjson.encode({type = 'NODE_CHANGED', key = ARGV[1], version = -1}))
            return 1
            """);

    /** KEYS: set of node ids. Returns one list (field, value, ...) per node, in one snapshot. */
    static final LuaScript ALL = LuaScript.reading("all-nodes", """
            local out = {}
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local fields = redis.call('HGETALL', '@PREFIX@node:' .. id)
              if #fields > 0 then
                out[#out + 1] = fields
              end
            end
            return out
            """);

    /**
     * Compare-and-put of an app's settings.
     * KEYS: settings hash. ARGV: app, expected version (0: absent), new version, json.
     * Returns {1, new version} when written, {0, current version} when not.
     */
    static final LuaScript PUT_SETTINGS = LuaScript.writing("put-settings", """
            local current = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
            if current ~= tonumber(ARGV[2]) then
              return {0, current}
            end
            local version = tonumber(ARGV[3])
            redis.call('HSET', KEYS[1], 'version', ARGV[3], 'json', ARGV[4])
            redis.call('PUBLISH', '@PREFIX@events',
              cjson.encode({type = 'SETTINGS_CHANGED', app = ARGV[1], version = version}))
            return {1, version}
            """);
}
