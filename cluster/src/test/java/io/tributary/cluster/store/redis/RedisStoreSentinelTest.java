package io.tributary.cluster.store.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreException;
import io.tributary.cluster.store.StoreUnavailableException;
import io.tributary.cluster.testing.RedisProcess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A store that finds its master through Sentinel uses the master's data. */
class RedisStoreSentinelTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static RedisProcess master;
    private static RedisProcess sentinel;

    @BeforeAll
    static void startMasterAndSentinel() {
        master = RedisProcess.start();
        sentinel = RedisProcess.startSentinel("mymaster", master.port());
    }

    @AfterAll
    static void stopThem() {
        try {
            if (sentinel != null) {
                sentinel.close();
            }
        } finally {
            if (master != null) {
                master.close();
            }
        }
    }

    @Test
    void aStoreThroughSentinelReadsAndWritesTheMastersData() throws Exception {
        String uri = "redis-sentinel://" + sentinel.address() + "/0#mymaster";
        assertThat(sentinel.uri()).isEqualTo(uri);
        try (RedisStore viaSentinel = RedisStore.connect(uri, TIMEOUT);
             RedisStore direct = RedisStore.connect(master.uri(), TIMEOUT)) {
            List<StoreEvent> heard = new CopyOnWriteArrayList<>();
            try (AutoCloseable sub = viaSentinel.subscribe(heard::add)) {
                assertThat(viaSentinel.create("live", new Broadcast("through-sentinel"))).isTrue();
                assertThat(direct.get("live", "through-sentinel")).as("written in the master").isPresent();

                direct.putNode(new NodeRecord("node-s", "i1", "10.0.0.1", "10.0.0.1", 1935, 5080, List.of("edge"),
                        "test", 0, -1, NodeLoad.IDLE, 1, 1));
                assertThat(viaSentinel.heartbeat("node-s", "i1", NodeLoad.IDLE, 2)).isPresent();
                assertThat(direct.node("node-s").orElseThrow().heartbeat()).isEqualTo(1);
                await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heard)
                        .as("events through Sentinel").contains(new StoreEvent(StoreEvent.Type.NODE_HEARTBEAT, null,
                                "node-s", 1)));
            }
        }
    }

    @Test
    void anUnknownMasterNameFailsConnectWithThatReason() {
        assertThatThrownBy(() -> RedisStore.connect("redis-sentinel://" + sentinel.address() + "/0#nosuchmaster",
                TIMEOUT))
                .isInstanceOf(StoreException.class)
                .hasMessage("cannot connect to Redis master 'nosuchmaster' via Sentinel " + sentinel.address()
                        + ": unknown sentinel master: the Sentinels know no master named 'nosuchmaster'");
    }

    @Test
    void noSentinelAnsweringFailsAsUnavailable() {
        RedisProcess gone = RedisProcess.start();
        String address = gone.address();
        gone.close();
        assertThatThrownBy(() -> RedisStore.connect("redis-sentinel://" + address + "/0#mymaster", TIMEOUT))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("cannot connect to Redis master 'mymaster' via Sentinel " + address
                        + ": no Sentinel answered");
    }
}
