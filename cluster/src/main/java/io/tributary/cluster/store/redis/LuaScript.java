package io.tributary.cluster.store.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One Lua script of the Redis engine, run by its SHA-1 (EVALSHA) so that only the first call after a server
 * start sends the source. A script runs atomically on the server: no other client's command runs between
 * its reads and writes, which is what makes create, compare-and-set, heartbeat and markDead atomic across
 * nodes, and lets a write announce itself in the same step (an event is never published for a write that
 * did not happen).
 *
 * <p>Sources name keys through the placeholder {@code @PREFIX@}, replaced by {@link RedisKeys#PREFIX}, so
 * the layout is spelled in one place. Read-only scripts declare {@code flags=no-writes} and run with
 * EVALSHA_RO, so Redis may serve them while it refuses writes (a full memory, a replica).
 */
final class LuaScript {

    private final String name;
    private final String source;
    private final String sha;
    private final boolean readOnly;

    private LuaScript(String name, String body, boolean readOnly) {
        this.name = name;
        this.readOnly = readOnly;
        String withKeys = body.replace("@PREFIX@", RedisKeys.PREFIX);
        this.source = readOnly ? "#!lua flags=no-writes\n" + withKeys : withKeys;
        this.sha = sha1(source);
    }

    /** A script that writes (and publishes). */
    static LuaScript writing(String name, String body) {
        return new LuaScript(name, body, false);
    }

    /** A script that only reads. */
    static LuaScript reading(String name, String body) {
        return new LuaScript(name, body, true);
    }

    String name() {
        return name;
    }

    /** Runs the script; when the server does not have it cached (a restart, SCRIPT FLUSH), sends the source. */
    <T> T run(RedisCommands<String, String> redis, ScriptOutputType type, String[] keys, String... args) {
        try {
            return readOnly ? redis.evalshaReadOnly(sha, type, keys, args) : redis.evalsha(sha, type, keys, args);
        } catch (RedisNoScriptException notCached) {
            // EVAL caches the script again, so the next call is an EVALSHA hit.
            return readOnly ? redis.evalReadOnly(source, type, keys, args) : redis.eval(source, type, keys, args);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    @Override
    public String toString() {
        return "script " + name;
    }
}
