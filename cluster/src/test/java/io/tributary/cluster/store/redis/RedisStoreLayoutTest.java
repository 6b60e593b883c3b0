package io.tributary.cluster.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.store.StoreException;
import io.tributary.cluster.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the Redis engine leaves in Redis (the layout RedisKeys documents), that its indexes follow every
 * write, and that only writes that happened are announced.
 */
class RedisStoreLayoutTest {

    private static RedisProcess redis;
    private RawRedis raw;
    private RedisStore store;

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

    @BeforeEach
    void connect() {
        raw = new RawRedis(redis.uri());
        raw.flushAll();
        store = RedisStore.connect(redis.uri(), Duration.ofSeconds(2));
    }

    @AfterEach
    void disconnect() {
        try {
            store.close();
        } finally {
            raw.close();
        }
    }

    @Test
    void aBroadcastIsAHashIndexedByAppAndByOrigin() {
        Broadcast b = new Broadcast("cam1");
        b.setStatus(BroadcastStatus.BROADCASTING);
        b.setOriginNode("node-a");
        store.create("live", b);

        Map<String, String> hash = raw.commands().hgetall("tributary:broadcast:live/cam1");
        assertThat(hash).containsEntry("version", "1").containsEntry("status", "broadcasting")
                .containsEntry("origin", "node-a").containsKey("json");
        assertThat(hash.get("json")).contains("\"streamId\":\"cam1\"", "\"version\":1");
        assertThat(raw.commands().smembers("tributary:broadcasts:live")).containsExactly("cam1");
        assertThat(raw.commands().smembers("tributary:apps")).containsExactly("live");
        assertThat(raw.commands().smembers("tributary:origin:node-a")).containsExactly("live/cam1");
        assertThat(raw.commands().get("tributary:schema")).isEqualTo("1");
    }

    @Test
    void theOriginIndexFollowsClaimsFinishesAndDeletes() {
        store.create("live", new Broadcast("cam1"));
        Broadcast claim = new Broadcast("cam1");
        claim.setStatus(BroadcastStatus.BROADCASTING);
        claim.setOriginNode("node-a");
        store.compareAndSet("live", claim, 1).orElseThrow();

        claim.setOriginNode("node-b");
        store.compareAndSet("live", claim, 2).orElseThrow();
        assertThat(store.broadcastingOn("node-a")).isEmpty();
        assertThat(store.broadcastingOn("node-b")).hasSize(1);

        store.update("live", "cam1", x -> {
            x.setStatus(BroadcastStatus.FINISHED);
            return x;
        });
        assertThat(store.broadcastingOn("node-b")).isEmpty();
        assertThat(raw.commands().exists("tributary:origin:node-b")).isZero();

        assertThat(store.delete("live", "cam1")).isTrue();
        assertThat(raw.commands().keys("tributary:*")).containsExactly("tributary:schema");
        assertThat(store.all()).isEmpty();
        assertThat(store.count("live")).isZero();
    }

    @Test
    void aNodeIsAHashOfItsFields() {
        store.putNode(new NodeRecord("node-a", "i1", "203.0.113.5", "10.0.0.5", 1935, 5080, List.of("origin", "edge"),
                "0.1.0", 0, -1, NodeLoad.IDLE, 100, 100));
        store.heartbeat("node-a", "i1", new NodeLoad(0.25, 1, 2, 3, 4, 5, 6), 200);

        Map<String, String> hash = raw.commands().hgetall("tributary:node:node-a");
        assertThat(hash).containsEntry("instance", "i1").containsEntry("heartbeat", "1")
                .containsEntry("deadAtHeartbeat", "-1").containsEntry("updatedAt", "200")
                .containsEntry("roles", "[\"origin\",\"edge\"]").containsEntry("rtmpPort", "1935");
        assertThat(hash.get("load")).contains("\"cpu\":0.25", "\"players\":6");
        assertThat(raw.commands().smembers("tributary:nodes")).containsExactly("node-a");
    }

    @Test
    void onlyWritesThatHappenedAreAnnounced() {
        List<String> published = raw.listen("tributary:events");
        store.create("live", new Broadcast("cam1"));
        store.putNode(new NodeRecord("node-a", "i1", null, null, 1935, 5080, List.of(), null, 3, -1, null, 1, 1));
        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() == 2);

        assertThat(store.create("live", new Broadcast("cam1"))).isFalse();
        assertThat(store.compareAndSet("live", new Broadcast("cam1"), 7)).isEmpty();
        assertThat(store.deleteIfVersion("live", "cam1", 7)).isFalse();
        assertThat(store.delete("live", "absent")).isFalse();
        assertThat(store.heartbeat("node-a", "another-instance", NodeLoad.IDLE, 1)).isEmpty();
        assertThat(store.markDead("node-a", 2)).isFalse();
        assertThat(store.removeNode("node-b")).isFalse();
        store.putAppSettings("marker", new AppSettings(true, 0, 0));

        await().atMost(Duration.ofSeconds(5)).until(() -> published.size() >= 3);
        assertThat(published).hasSize(3);
        assertThat(published.get(0)).contains("\"BROADCAST_CHANGED\"", "\"cam1\"");
        assertThat(published.get(1)).contains("\"NODE_CHANGED\"", "\"node-a\"");
        assertThat(published.get(2)).contains("\"SETTINGS_CHANGED\"", "\"marker\"");
    }

    @Test
    void listenersRunOnTheStoresOwnThreadNotOnLettuces() {
        List<String> threads = new CopyOnWriteArrayList<>();
        store.subscribe(e -> threads.add(Thread.currentThread().getName()));
        store.create("live", new Broadcast("cam1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !threads.isEmpty());
        assertThat(threads).containsOnly("tributary-redis-events");
    }

    @Test
    void scriptsStillRunAfterRedisForgetsThem() {
        raw.commands().scriptFlush();
        assertThat(store.create("live", new Broadcast("cam1"))).isTrue();
        assertThat(store.list("live", 0, 10, BroadcastQuery.DEFAULT)).hasSize(1);
    }

    @Test
    void aRedisHoldingAnotherKeyLayoutIsRefusedAtStartUp() {
        raw.commands().set("tributary:schema", "2");
        assertThatThrownBy(() -> RedisStore.connect(redis.uri(), Duration.ofSeconds(2)))
                .isInstanceOf(StoreException.class)
                .hasMessage("Redis at " + redis.address() + " holds Tributary data in key layout 2; "
                        + "this version reads layout 1");
    }
}
