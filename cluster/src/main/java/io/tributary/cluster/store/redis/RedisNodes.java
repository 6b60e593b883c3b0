package io.tributary.cluster.store.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.store.SettingsCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The membership and settings half of {@link RedisStore}: node records ({@link NodeFields}) and each app's
 * shared settings, written through {@link NodeScripts} on the connection the store guards.
 */
final class RedisNodes {

    private final RedisCommands<String, String> redis;

    RedisNodes(RedisCommands<String, String> redis) {
        this.redis = redis;
    }

    void put(NodeRecord node) {
        Objects.requireNonNull(node.id(), "node id");
        List<String> args = new ArrayList<>();
        args.add(node.id());
        args.add(Long.toString(node.heartbeat()));
        args.addAll(NodeFields.encode(node));
        NodeScripts.PUT.run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.node(node.id()), RedisKeys.NODES},
                args.toArray(String[]::new));
    }

    Optional<NodeRecord> get(String nodeId) {
        Map<String, String> fields = redis.hgetall(RedisKeys.node(Objects.requireNonNull(nodeId, "nodeId")));
        return fields.isEmpty() ? Optional.empty() : Optional.of(NodeFields.decode(fields));
    }

    List<NodeRecord> all() {
        List<Object> hashes = NodeScripts.ALL.run(redis, ScriptOutputType.MULTI, new String[] {RedisKeys.NODES});
        List<NodeRecord> nodes = new ArrayList<>(hashes.size());
        for (Object hash : hashes) {
            nodes.add(NodeFields.decode((List<?>) hash));
        }
        return nodes;
    }

    Optional<NodeRecord> heartbeat(String nodeId, String instance, NodeLoad load, long now) {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(instance, "instance");
        List<Object> fields = NodeScripts.HEARTBEAT.run(redis, ScriptOutputType.MULTI,
                new String[] {RedisKeys.node(nodeId)}, nodeId, instance, NodeFields.loadJson(load), Long.toString(now));
        return fields == null || fields.isEmpty() ? Optional.empty() : Optional.of(NodeFields.decode(fields));
    }

    boolean markDead(String nodeId, long atHeartbeat) {
        Objects.requireNonNull(nodeId, "nodeId");
        Long won = NodeScripts.MARK_DEAD.run(redis, ScriptOutputType.INTEGER, new String[] {RedisKeys.node(nodeId)},
                nodeId, Long.toString(atHeartbeat));
        return won == 1;
    }

    boolean remove(String nodeId) {
        Objects.requireNonNull(nodeId, "nodeId");
        Long removed = NodeScripts.REMOVE.run(redis, ScriptOutputType.INTEGER,
                new String[] {RedisKeys.node(nodeId), RedisKeys.NODES}, nodeId);
        return removed == 1;
    }

    AppSettings settings(String app) {
        String key = RedisKeys.settings(StreamIds.requireValid(app, "app name"));
        String json = redis.hget(key, "json");
        return json == null ? AppSettings.NONE : SettingsCodec.decode(json, "settings " + key);
    }

    /** A compare-and-put loop: the refusal carries the current version, so a retry needs no extra read. */
    AppSettings putSettings(String app, AppSettings value) {
        Objects.requireNonNull(value, "settings");
        String key = RedisKeys.settings(StreamIds.requireValid(app, "app name"));
        long expected = 0;
        while (true) {
            AppSettings next = value.withVersion(expected + 1);
            List<Object> reply = NodeScripts.PUT_SETTINGS.run(redis, ScriptOutputType.MULTI, new String[] {key},
                    app, Long.toString(expected), Long.toString(expected + 1), SettingsCodec.encode(next));
            if ((Long) reply.get(0) == 1) {
                return next;
            }
            expected = (Long) reply.get(1);
        }
    }
}
