package io.tributary.cluster.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.store.BroadcastQuery;
import io.tributary.cluster.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BroadcastStore rules the shared contract does not cover (yet), on the Redis engine. */
class RedisStoreRulesTest {

    private static RedisProcess redis;
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
        try (RawRedis raw = new RawRedis(redis.uri())) {
            raw.flushAll();
        }
        store = RedisStore.connect(redis.uri(), Duration.ofSeconds(2));
    }

    @AfterEach
    void disconnect() {
        store.close();
    }

    @Test
    void saveInsertsWithVersionOneThenCountsUp() {
        Broadcast b = new Broadcast("cam1");
        assertThat(store.save("live", b).getVersion()).isEqualTo(1);
        b.setName("renamed");
        assertThat(store.save("live", b).getVersion()).isEqualTo(2);
        assertThat(store.get("live", "cam1").orElseThrow().getName()).isEqualTo("renamed");
        assertThat(b.getVersion()).as("the caller's copy is left alone").isZero();
    }

    @Test
    void returnedRecordsAreCopies() {
        store.create("live", new Broadcast("cam1"));
        store.get("live", "cam1").orElseThrow().setName("changed locally");
        assertThat(store.get("live", "cam1").orElseThrow().getName()).isNull();
    }

    @Test
    void anUpdateMayNotChangeTheStreamId() {
        store.create("live", new Broadcast("cam1"));
        assertThatThrownBy(() -> store.update("live", "cam1", b -> new Broadcast("cam2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not change the stream id");
        assertThat(store.update("live", "absent", b -> b)).isEmpty();
    }

    @Test
    void versionsBelowOneNeverMatch() {
        store.create("live", new Broadcast("cam1"));
        assertThat(store.compareAndSet("live", new Broadcast("fresh"), 0)).as("not a create in disguise").isEmpty();
        assertThat(store.get("live", "fresh")).isEmpty();
        assertThat(store.deleteIfVersion("live", "cam1", -1)).as("not a delete of any version").isFalse();
        assertThat(store.get("live", "cam1")).isPresent();
    }

    @Test
    void invalidNamesAreRefusedBeforeReachingRedis() {
        assertThatThrownBy(() -> store.get("li/ve", "cam1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.create("live", new Broadcast("a:b"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.count("..")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.list("live", -1, 10, BroadcastQuery.DEFAULT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyMethodOfAClosedStoreSaysSo() {
        store.close();
        store.close();
        List<Consumer<RedisStore>> calls = List.of(
                s -> s.get("live", "cam1"), s -> s.create("live", new Broadcast("cam1")),
                s -> s.countByStatus("live", BroadcastStatus.CREATED), RedisStore::nodes,
                s -> s.heartbeat("node-a", "i1", NodeLoad.IDLE, 1), s -> s.subscribe(e -> { }),
                RedisStore::ping, RedisStore::flush);
        for (Consumer<RedisStore> call : calls) {
            assertThatThrownBy(() -> call.accept(store)).isInstanceOf(IllegalStateException.class)
                    .hasMessage("store is closed");
        }
    }
}
