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
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreUnavailableException;
import io.tributary.cluster.testing.RedisProcess;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a node sees when Redis goes away: every call fails fast with StoreUnavailableException, and the same
 * store (and its event subscription) works again once Redis is back.
 */
class RedisStoreOutageTest {

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FAIL_FAST = Duration.ofSeconds(3);
    /** Far below the command timeout: a refused connection is known at once, so nothing may wait for it. */
    private static final Duration REJECTED_AT_ONCE = Duration.ofSeconds(1);

    private RedisProcess redis;
    private RedisStore store;
    private RedisStore peer;

    @BeforeEach
    void start() {
        redis = RedisProcess.start();
        store = RedisStore.connect(redis.uri(), COMMAND_TIMEOUT);
        peer = RedisStore.connect(redis.uri(), COMMAND_TIMEOUT);
    }

    @AfterEach
    void stop() {
        try {
            closeAll(store, peer);
        } finally {
            redis.close();
        }
    }

    @Test
    void everyCallFailsFastWhileRedisIsDownAndWorksAgainWhenItIsBack() {
        List<StoreEvent> heard = new CopyOnWriteArrayList<>();
        store.subscribe(heard::add);
        store.create("live", new Broadcast("cam"));

        redis.stop();
        Map<String, Long> millis = new LinkedHashMap<>();
        calls().forEach((name, call) -> {
            long start = System.nanoTime();
            assertThatThrownBy(() -> call.accept(store)).as(name)
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageStartingWith("Redis at " + redis.address() + " is unreachable: ");
            millis.put(name, (System.nanoTime() - start) / 1_000_000);
        });
        System.out.println("Redis stopped, ms per call until StoreUnavailableException: " + millis);
        assertThat(millis.values()).as("rejected, not queued until the command timeout")
                .allSatisfy(ms -> assertThat(ms).isLessThan(REJECTED_AT_ONCE.toMillis()));

        redis.restart();
        // Until the client has reconnected, calls are still rejected as unavailable: keep asking.
        await().atMost(Duration.ofSeconds(10)).ignoreException(StoreUnavailableException.class).untilAsserted(() -> {
            store.ping();
            peer.ping();
        });
        // The restarted Redis has no persistence: the data is gone, the store is not.
        assertThat(store.get("live", "cam")).isEmpty();
        calls().forEach((name, call) -> call.accept(store));
        assertThat(store.get("live", "cam")).isPresent();

        heard.clear();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            peer.putAppSettings("probe", new AppSettings(true, 0, 0));
            assertThat(heard).as("the subscription is back").anyMatch(e -> "probe".equals(e.app()));
        });
    }

    @Test
    void aCallToAHungRedisFailsWithinTheCommandTimeout() {
        Duration shortTimeout = Duration.ofMillis(500);
        try (RedisStore impatient = RedisStore.connect(redis.uri(), shortTimeout)) {
            impatient.putNode(node());
            redis.pause();
            try {
                Map<String, Long> millis = new LinkedHashMap<>();
                Map<String, Consumer<RedisStore>> sample = Map.of(
                        "get", s -> s.get("live", "cam"),
                        "save", s -> s.save("live", new Broadcast("cam")),
                        "heartbeat", s -> s.heartbeat("node-a", "i1", NodeLoad.IDLE, 1),
                        "ping", RedisStore::ping);
                sample.forEach((name, call) -> {
                    long start = System.nanoTime();
                    assertThatThrownBy(() -> call.accept(impatient)).as(name)
                            .isInstanceOf(StoreUnavailableException.class)
                            .hasMessageContaining("is unreachable: no answer within 500 ms");
                    millis.put(name, (System.nanoTime() - start) / 1_000_000);
                });
                System.out.println("Redis hung (SIGSTOP), 500 ms timeout, ms per call: " + millis);
                assertThat(millis.values()).allSatisfy(ms -> assertThat(ms).isBetween(400L, 1500L));
            } finally {
                redis.resume();
            }
            await().atMost(Duration.ofSeconds(10)).ignoreException(StoreUnavailableException.class)
                    .untilAsserted(impatient::ping);
            assertThat(impatient.heartbeat("node-a", "i1", NodeLoad.IDLE, 2)).isPresent();
        }
    }

    @Test
    void connectingToAStoppedRedisFailsAtOnceWithTheReason() {
        redis.stop();
        long start = System.nanoTime();
        assertThatThrownBy(() -> RedisStore.connect(redis.uri(), COMMAND_TIMEOUT))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessage("cannot connect to Redis at " + redis.address() + ": connection refused");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_FAST);
    }

    /** One of every kind of call a node makes that needs Redis. */
    private static Map<String, Consumer<RedisStore>> calls() {
        Map<String, Consumer<RedisStore>> calls = new LinkedHashMap<>();
        calls.put("get", s -> s.get("live", "cam"));
        calls.put("create", s -> s.create("live", new Broadcast("cam")));
        calls.put("save", s -> s.save("live", new Broadcast("cam")));
        calls.put("update", s -> s.update("live", "cam", b -> b));
        calls.put("compareAndSet", s -> s.compareAndSet("live", new Broadcast("cam"), 2));
        calls.put("deleteIfVersion", s -> s.deleteIfVersion("live", "other", 1));
        calls.put("delete", s -> s.delete("live", "other"));
        calls.put("list", s -> s.list("live", 0, 10, BroadcastQuery.DEFAULT));
        calls.put("count", s -> s.count("live"));
        calls.put("countByStatus", s -> s.countByStatus("live", BroadcastStatus.BROADCASTING));
        calls.put("all", RedisStore::all);
        calls.put("broadcastingOn", s -> s.broadcastingOn("node-a"));
        calls.put("putNode", s -> s.putNode(node()));
        calls.put("node", s -> s.node("node-a"));
        calls.put("nodes", RedisStore::nodes);
        calls.put("heartbeat", s -> s.heartbeat("node-a", "i1", NodeLoad.IDLE, 1));
        calls.put("markDead", s -> s.markDead("node-b", 0));
        calls.put("removeNode", s -> s.removeNode("node-b"));
        calls.put("appSettings", s -> s.appSettings("live"));
        calls.put("putAppSettings", s -> s.putAppSettings("live", new AppSettings(true, 0, 0)));
        calls.put("ping", RedisStore::ping);
        return calls;
    }

    private static NodeRecord node() {
        return new NodeRecord("node-a", "i1", "10.0.0.1", "192.168.0.1", 1935, 5080, List.of("origin"), "test", 0, -1,
                NodeLoad.IDLE, 1, 1);
    }

    private static void closeAll(RedisStore... stores) {
        for (RedisStore s : stores) {
            if (s != null) {
                s.close();
            }
        }
    }
}
