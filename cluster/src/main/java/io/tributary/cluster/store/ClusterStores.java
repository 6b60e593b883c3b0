package io.tributary.cluster.store;

import io.tributary.cluster.store.mongo.MongoStore;
import io.tributary.cluster.store.peers.PeersStore;
import io.tributary.cluster.store.redis.RedisStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Opens the cluster store a node is configured with: {@code embedded}, {@code redis...://}, {@code mongodb://}
 * or {@code peers} (no store: the node's own copy, kept in step with the other nodes over HTTP).
 */
public final class ClusterStores {

    private ClusterStores() {
    }

    /**
     * @param location {@code embedded}, {@code redis://}, {@code rediss://}, {@code redis-sentinel://},
     *     {@code mongodb://} (and {@code mongodb+srv://}) or {@code peers}
     * @param dataDir where the embedded and peers engines keep their file
     * @throws StoreException naming the store and why it cannot be used
     */
    public static ClusterStore open(String location, Duration timeout, Path dataDir) {
        String lower = location.toLowerCase(Locale.ROOT);
        if (lower.equals("embedded")) {
            return EmbeddedStore.open(dataDir);
        }
        if (lower.equals("peers")) {
            return PeersStore.open(dataDir);
        }
        if (lower.startsWith("redis://") || lower.startsWith("rediss://") || lower.startsWith("redis-sentinel://")) {
            return RedisStore.connect(location, timeout);
        }
        if (lower.startsWith("mongodb://") || lower.startsWith("mongodb+srv://")) {
            return MongoStore.connect(location, timeout);
        }
        throw new StoreException("unknown cluster store '" + location + "': use embedded, redis://host:port, "
                + "redis-sentinel://host:port/0#master, mongodb://host:port/db or peers");
    }
}
