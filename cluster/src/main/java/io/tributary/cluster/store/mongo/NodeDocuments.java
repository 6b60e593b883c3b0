package io.tributary.cluster.store.mongo;

import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.StreamViewers;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.StoreException;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bson.Document;

/**
 * How a node record is laid out in the {@code nodes} collection: the record's own field names, with
 * {@code _id} for the id and BSON dates for the two timestamps.
 *
 * <pre>
 * {_id: "node-a", instance: "9f2c...", advertise: "10.0.0.1", internal: "192.168.0.1", rtmpPort: 1935,
 *  httpPort: 5080, roles: ["origin", "edge"], version: "0.1.0", heartbeat: 42 (int64),
 *  deadAtHeartbeat: -1 (int64), load: {cpu, memoryUsed, memoryMax, egressBitsPerSecond,
 *  ingressBitsPerSecond, publishers, players}, registeredAt: ISODate, updatedAt: ISODate}
 * </pre>
 *
 * {@code updatedAt} is always the server's clock ({@code $currentDate}), written by registration and every
 * heartbeat, so all nodes' timestamps come from one clock; {@code registeredAt} is the node's own.
 */
final class NodeDocuments {

    static final String ID = "_id";
    static final String INSTANCE = "instance";
    static final String HEARTBEAT = "heartbeat";
    static final String DEAD_AT_HEARTBEAT = "deadAtHeartbeat";
    static final String LOAD = "load";
    static final String UPDATED_AT = "updatedAt";

    private NodeDocuments() {
    }

    /** Everything registration sets except {@code _id} and the server-stamped {@code updatedAt}. */
    static Document fields(NodeRecord n) {
        return new Document(INSTANCE, n.instance())
                .append("advertise", n.advertise())
                .append("internal", n.internal())
                .append("rtmpPort", n.rtmpPort())
                .append("httpPort", n.httpPort())
                .append("roles", new ArrayList<>(n.roles()))
                .append("version", n.version())
                .append(HEARTBEAT, n.heartbeat())
                .append(DEAD_AT_HEARTBEAT, n.deadAtHeartbeat())
                .append(LOAD, load(n.load()))
                .append("registeredAt", new Date(n.registeredAt()));
    }

    static Document load(NodeLoad l) {
        return new Document("cpu", l.cpu())
                .append("memoryUsed", l.memoryUsed())
                .append("memoryMax", l.memoryMax())
                .append("egressBitsPerSecond", l.egressBitsPerSecond())
                .append("ingressBitsPerSecond", l.ingressBitsPerSecond())
                .append("publishers", l.publishers())
                .append("players", l.players())
                .append("draining", l.draining())
                // An array, not a document keyed by path: field names may not contain the dots ids can have.
                .append("streams", l.streams().stream().map(s -> new Document("path", s.path())
                        .append("viewers", new Document(new java.util.LinkedHashMap<String, Object>(s.viewers()))))
                        .toList());
    }

    private static List<StreamViewers> streams(Document load) {
        List<StreamViewers> out = new ArrayList<>();
        if (load.get("streams") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Document d && d.get("path") instanceof String path) {
                    java.util.Map<String, Integer> counts = new java.util.LinkedHashMap<>();
                    if (d.get("viewers") instanceof Document v) {
                        v.forEach((k, n) -> counts.put(k, n instanceof Number num ? num.intValue() : 0));
                    }
                    out.add(new StreamViewers(path, counts));
                }
            }
        }
        return out;
    }

    static NodeRecord decode(Document d) {
        String id = String.valueOf(d.get(ID));
        Object roles = d.get("roles");
        List<String> roleList = new ArrayList<>();
        if (roles instanceof List<?> list) {
            list.forEach(r -> roleList.add(String.valueOf(r)));
        }
        Document load = d.get(LOAD) instanceof Document l ? l : new Document();
        return new NodeRecord(id, d.getString(INSTANCE), d.getString("advertise"), d.getString("internal"),
                (int) number(d, "rtmpPort", id), (int) number(d, "httpPort", id), roleList, d.getString("version"),
                number(d, HEARTBEAT, id), number(d, DEAD_AT_HEARTBEAT, id),
                new NodeLoad(decimal(load, "cpu"), optional(load, "memoryUsed"), optional(load, "memoryMax"),
                        optional(load, "egressBitsPerSecond"), optional(load, "ingressBitsPerSecond"),
                        (int) optional(load, "publishers"), (int) optional(load, "players"),
                        Boolean.TRUE.equals(load.get("draining")), streams(load)),
                millis(d, "registeredAt"), millis(d, UPDATED_AT));
    }

    private static long number(Document d, String field, String id) {
        if (!(d.get(field) instanceof Number n)) {
            throw new StoreException("stored node nodes/" + id + " has no number " + field);
        }
        return n.longValue();
    }

    /** Load figures are informational: a missing one reads as zero rather than failing membership. */
    private static long optional(Document d, String field) {
        return d.get(field) instanceof Number n ? n.longValue() : 0;
    }

    private static double decimal(Document d, String field) {
        return d.get(field) instanceof Number n ? n.doubleValue() : 0;
    }

    private static long millis(Document d, String field) {
        Object value = d.get(field);
        if (value instanceof Date date) {
            return date.getTime();
        }
        return value instanceof Number n ? n.longValue() : 0;
    }
}
