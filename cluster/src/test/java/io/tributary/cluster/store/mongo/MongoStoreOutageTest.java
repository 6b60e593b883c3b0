package io.tributary.cluster.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.store.StoreEvent;
import io.tributary.cluster.store.StoreUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MongoDB going away and coming back: calls fail fast as unavailable, and the same store (and its
 * subscription) works again once a server answers on the same address.
 */
class MongoStoreOutageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** The timeout plus room for a slow machine; a call must never hang for the driver's defaults (30 s). */
    private static final long FAIL_WITHIN_MS = 3_000;

    private MongoTestServer server;
    private MongoStore store;

    @AfterEach
    void cleanUp() {
        if (store != null) {
            store.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void whileMongoIsDownCallsFailFastAndWhenItReturnsTheSameStoreWorksAgain() throws Exception {
        server = MongoTestServer.start();
        store = MongoStore.connect(server.uri("outage"), TIMEOUT);
        List<StoreEvent> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = store.subscribe(heard::add)) {
            store.create("live", new Broadcast("before"));
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.stream().anyMatch(e -> "before".equals(e.key())));

            server.stop();

            String where = "MongoDB at 127.0.0.1:" + server.port() + " is unreachable";
            assertUnavailableFast("get", () -> store.get("live", "before"), where);
            assertUnavailableFast("create", () -> store.create("live", new Broadcast("during")), where);
            assertUnavailableFast("heartbeat", () -> store.heartbeat("n", "i", NodeLoad.IDLE, 0), where);
            assertUnavailableFast("putAppSettings", () -> store.putAppSettings("live", AppSettings.NONE), where);
            assertUnavailableFast("ping", store::ping, where);

            server.restart();

            long restarted = System.nanoTime();
            await().atMost(Duration.ofSeconds(10)).ignoreExceptionsInstanceOf(StoreUnavailableException.class)
                    .untilAsserted(store::ping);
            System.out.printf("mongo outage timing: answering again %d ms after the restart%n",
                    (System.nanoTime() - restarted) / 1_000_000);
            assertThat(store.create("live", new Broadcast("after"))).isTrue();
            assertThat(store.get("live", "after")).isPresent();
            store.putNode(new NodeRecord("n", "i", "a", "a", 1, 2, List.of(), "t", 0, -1, NodeLoad.IDLE, 0, 0));
            assertThat(store.heartbeat("n", "i", NodeLoad.IDLE, 0)).isPresent();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heard).contains(
                    new StoreEvent(StoreEvent.Type.BROADCAST_CHANGED, "live", "after", 1),
                    new StoreEvent(StoreEvent.Type.NODE_HEARTBEAT, null, "n", 1)));
        }
    }

    @Test
    void whenMongoHangsCallsFailWithinTheTimeoutRetriesIncluded() throws Exception {
        server = MongoTestServer.start();
        try (FreezingProxy proxy = new FreezingProxy(server.port())) {
            store = MongoStore.connect("mongodb://127.0.0.1:" + proxy.port() + "/hang", TIMEOUT);
            store.create("live", new Broadcast("before"));

            proxy.freeze();

            String where = "MongoDB at 127.0.0.1:" + proxy.port() + " is unreachable";
            assertUnavailableFast("get on a hung server", () -> store.get("live", "before"), where);
            assertUnavailableFast("create on a hung server", () -> store.create("live", new Broadcast("x")), where);
            assertUnavailableFast("ping on a hung server", store::ping, where);
        }
    }

    @Test
    void connectingToAnAddressWhereNothingListensNamesItSoon() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        int closedPort = port;

        long start = System.nanoTime();
        assertThatThrownBy(() -> MongoStore.connect("mongodb://127.0.0.1:" + closedPort + "/x", TIMEOUT))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith("MongoDB at 127.0.0.1:" + closedPort + " is unreachable")
                .hasMessageContaining("Connection refused");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("mongo outage timing: connect to a closed port failed after %d ms%n", tookMs);
        assertThat(tookMs).isLessThan(FAIL_WITHIN_MS);
    }

    private static void assertUnavailableFast(String call, ThrowingCallable action, String where) {
        long start = System.nanoTime();
        assertThatThrownBy(action).as(call).isInstanceOf(StoreUnavailableException.class)
                .hasMessageStartingWith(where)
                .satisfies(e -> System.out.printf("mongo outage message: %s%n", e.getMessage()));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("mongo outage timing: %s failed after %d ms%n", call, tookMs);
        assertThat(tookMs).as(call + " took %d ms", tookMs).isLessThan(FAIL_WITHIN_MS);
    }
}
