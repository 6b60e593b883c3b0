package io.tributary.cluster.store.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.tributary.cluster.broadcast.Json;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.StoreException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A node record as a Redis hash: one field per {@link NodeRecord} component, named as in its JSON, with
 * {@code roles} and {@code load} as JSON and numbers in decimal. Fields rather than one JSON string,
 * because the heartbeat and markDead scripts change {@code heartbeat}, {@code load}, {@code updatedAt} and
 * {@code deadAtHeartbeat} in place and compare {@code instance}, without parsing JSON in Lua. A null
 * address or version is an absent field.
 */
final class NodeFields {

    private static final TypeReference<List<String>> ROLES = new TypeReference<>() { };

    private NodeFields() {
    }

    /** Field, value, field, value, ... in a fixed order. */
    static List<String> encode(NodeRecord node) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("id", node.id());
        putIfSet(f, "instance", node.instance());
        putIfSet(f, "advertise", node.advertise());
        putIfSet(f, "internal", node.internal());
        f.put("rtmpPort", Integer.toString(node.rtmpPort()));
        f.put("httpPort", Integer.toString(node.httpPort()));
        f.put("roles", json(node.roles()));
        putIfSet(f, "version", node.version());
        f.put("heartbeat", Long.toString(node.heartbeat()));
        f.put("deadAtHeartbeat", Long.toString(node.deadAtHeartbeat()));
        f.put("load", json(node.load()));
        f.put("registeredAt", Long.toString(node.registeredAt()));
        f.put("updatedAt", Long.toString(node.updatedAt()));
        return f.entrySet().stream().flatMap(e -> Stream.of(e.getKey(), e.getValue())).toList();
    }

    /** Reads a hash as HGETALL (or a script returning HGETALL) gives it: field, value, field, value, ... */
    static NodeRecord decode(List<?> flat) {
        Map<String, String> f = new LinkedHashMap<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            f.put(String.valueOf(flat.get(i)), String.valueOf(flat.get(i + 1)));
        }
        return decode(f);
    }

    static NodeRecord decode(Map<String, String> f) {
        String where = "node record " + RedisKeys.node(f.getOrDefault("id", "?"));
        try {
            return new NodeRecord(required(f, "id"), f.get("instance"), f.get("advertise"), f.get("internal"),
                    Integer.parseInt(required(f, "rtmpPort")), Integer.parseInt(required(f, "httpPort")),
                    Json.mapper().readValue(required(f, "roles"), ROLES), f.get("version"),
                    Long.parseLong(required(f, "heartbeat")), Long.parseLong(required(f, "deadAtHeartbeat")),
                    Json.mapper().readValue(required(f, "load"), NodeLoad.class),
                    Long.parseLong(required(f, "registeredAt")), Long.parseLong(required(f, "updatedAt")));
        } catch (JsonProcessingException e) {
            throw new StoreException("stored " + where + " is not readable: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new StoreException("stored " + where + " is not readable: " + e.getMessage(), e);
        }
    }

    static String loadJson(NodeLoad load) {
        return json(load == null ? NodeLoad.IDLE : load);
    }

    private static String required(Map<String, String> f, String field) {
        String value = f.get(field);
        if (value == null) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return value;
    }

    private static void putIfSet(Map<String, String> f, String field, String value) {
        if (value != null) {
            f.put(field, value);
        }
    }

    private static String json(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }
}
