package io.tributary.cluster.store.redis;

/**
 * Where the Redis engine keeps what, all under the prefix {@value #PREFIX} (so a Redis shared with other
 * applications stays readable with {@code redis-cli --scan --pattern 'tributary:*'}):
 *
 * <pre>
 * tributary:schema                       string  layout version, "1"
 * tributary:broadcast:{app}/{streamId}   hash    version, status, origin (node id, when set), json (the API JSON)
 * tributary:broadcasts:{app}             set     stream ids of the app (count = SCARD, list without KEYS/SCAN)
 * tributary:apps                         set     apps that have at least one broadcast (for all())
 * tributary:origin:{nodeId}              set     "{app}/{streamId}" of records broadcasting on that node
 * tributary:node:{nodeId}                hash    one field per NodeRecord component (see NodeFields)
 * tributary:nodes                        set     node ids
 * tributary:settings:{app}               hash    version, json (the AppSettings JSON)
 * tributary:record:{kind}:{key}          string  a record's JSON (users, one-time tokens), with PXAT expiry if any
 * tributary:records:{kind}               set     keys of the kind's records (for listing)
 * tributary:events                       channel StoreEvent JSON, published by the script that made the write
 * </pre>
 *
 * <p>The {@code version}, {@code status} and {@code origin} fields repeat what the JSON says so that Lua
 * scripts can compare and index without parsing JSON. Every write goes through a script (see
 * {@link BroadcastScripts}, {@link NodeScripts}) that keeps these sets consistent with the records. App
 * names and stream ids never contain '/' or ':' (see StreamIds), so keys and index members are unambiguous.
 * The layout is for standalone Redis and Sentinel, not Redis Cluster: scripts reach index keys they compute
 * themselves.
 */
final class RedisKeys {

    static final String PREFIX = "tributary:";
    static final String SCHEMA = PREFIX + "schema";
    static final String SCHEMA_VERSION = "1";
    static final String APPS = PREFIX + "apps";
    static final String NODES = PREFIX + "nodes";
    static final String EVENTS = PREFIX + "events";

    private RedisKeys() {
    }

    static String broadcast(String app, String streamId) {
        return PREFIX + "broadcast:" + member(app, streamId);
    }

    static String broadcasts(String app) {
        return PREFIX + "broadcasts:" + app;
    }

    static String settings(String app) {
        return PREFIX + "settings:" + app;
    }

    static String record(String kind, String key) {
        return PREFIX + "record:" + kind + ":" + key;
    }

    static String records(String kind) {
        return PREFIX + "records:" + kind;
    }

    static String node(String nodeId) {
        return PREFIX + "node:" + nodeId;
    }

    /** How a broadcast appears in the origin index: its stream path. */
    static String member(String app, String streamId) {
        return app + "/" + streamId;
    }
}
