package io.tributary.cluster.store.redis;

import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.ClusterStoreContract;
import io.tributary.cluster.testing.RedisProcess;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The cluster store contract on a real redis-server; the peer node is a second RedisStore on the same server. */
class RedisStoreContractTest extends ClusterStoreContract {

    private static RedisProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected ClusterStore openStore() {
        flushAll();
        return RedisStore.connect(redis.uri(), Duration.ofSeconds(2));
    }

    @Override
    protected ClusterStore openPeer(ClusterStore first) {
        return RedisStore.connect(redis.uri(), Duration.ofSeconds(2));
    }

    private static void flushAll() {
        try (RawRedis raw = new RawRedis(redis.uri())) {
            raw.flushAll();
        }
    }
}
