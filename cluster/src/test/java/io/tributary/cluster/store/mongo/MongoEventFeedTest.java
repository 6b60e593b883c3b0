package io.tributary.cluster.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoCollection;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.store.StoreEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The change feed the MongoDB engine builds from a polled collection instead of change streams. */
class MongoEventFeedTest {

    private static final String DATABASE = "feed";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

    private static MongoTestServer server;
    private final List<MongoStore> stores = new ArrayList<>();

    @BeforeAll
    static void startServer() {
        server = MongoTestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void emptyDatabase() {
        server.database(DATABASE).drop();
    }

    @AfterEach
    void closeStores() {
        stores.forEach(MongoStore::close);
    }

    @Test
    void aSubscriberHearsEveryWriteOfManyRacingWriters() throws Exception {
        MongoStore listener = connect(MongoStoreOptions.defaults(TIMEOUT));
        MongoStore a = connect(MongoStoreOptions.defaults(TIMEOUT));
        MongoStore b = connect(MongoStoreOptions.defaults(TIMEOUT));
        List<StoreEvent> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = listener.subscribe(heard::add)) {
            race(40, i -> (i % 2 == 0 ? a : b).create("live", new Broadcast("s" + i)));

            List<String> expected = IntStream.range(0, 40).mapToObj(i -> "s" + i).collect(Collectors.toList());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    heard.stream().map(StoreEvent::key).distinct().collect(Collectors.toList()))
                    .containsExactlyInAnyOrderElementsOf(expected));
        }
        assertThat(events().find().map(MongoEventLog::seq).into(new ArrayList<>()))
                .as("one event per write, numbered without gaps").containsExactlyInAnyOrderElementsOf(
                        IntStream.rangeClosed(1, 40).mapToObj(Long::valueOf).collect(Collectors.toList()));
    }

    @Test
    void aSubscriberHearsOnlyWhatIsWrittenAfterItSubscribed() throws Exception {
        MongoStore store = connect(MongoStoreOptions.defaults(TIMEOUT));
        store.create("live", new Broadcast("old"));
        List<StoreEvent> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = store.subscribe(heard::add)) {
            store.create("live", new Broadcast("new"));
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.stream().anyMatch(e -> "new".equals(e.key())));
        }
        assertThat(heard).extracting(StoreEvent::key).doesNotContain("old");
    }

    @Test
    void writesThatDidNotHappenAreNotAnnounced() {
        MongoStore store = connect(MongoStoreOptions.defaults(TIMEOUT));
        store.create("live", new Broadcast("one"));
        long before = events().countDocuments();

        assertThat(store.create("live", new Broadcast("one"))).isFalse();
        assertThat(store.compareAndSet("live", new Broadcast("one"), 7)).isEmpty();
        assertThat(store.deleteIfVersion("live", "one", 7)).isFalse();
        assertThat(store.update("live", "absent", x -> x)).isEmpty();
        assertThat(store.delete("live", "absent")).isFalse();
        assertThat(store.heartbeat("nobody", "i", NodeLoad.IDLE, 0)).isEmpty();
        assertThat(store.markDead("nobody", 0)).isFalse();
        assertThat(store.removeNode("nobody")).isFalse();

        assertThat(events().countDocuments()).isEqualTo(before);
    }

    @Test
    void aSubscriberKeepsHearingAfterTheDatabaseIsEmptied() throws Exception {
        MongoStore store = connect(MongoStoreOptions.defaults(TIMEOUT));
        List<StoreEvent> heard = new CopyOnWriteArrayList<>();
        try (AutoCloseable subscription = store.subscribe(heard::add)) {
            for (int i = 0; i < 3; i++) {
                store.create("live", new Broadcast("first" + i));
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.size() == 3);

            server.database(DATABASE).drop();
            store.create("live", new Broadcast("second"));

            await().atMost(Duration.ofSeconds(5)).until(() -> heard.stream().anyMatch(e -> "second".equals(e.key())));
        }
    }

    @Test
    void oldEventsAreDeletedByAgeButTheNewestIsKept() {
        MongoCollection<Document> events = events();
        Duration retention = Duration.ofMinutes(10);
        MongoEventLog early = new MongoEventLog(events, Clock.fixed(T0, ZoneOffset.UTC), retention, "test");
        MongoEventLog late = new MongoEventLog(events, Clock.fixed(T0.plus(retention).plusSeconds(1), ZoneOffset.UTC),
                retention, "test");
        for (int i = 0; i < 3; i++) {
            early.append(new StoreEvent(StoreEvent.Type.NODE_HEARTBEAT, null, "n", i));
        }
        late.append(new StoreEvent(StoreEvent.Type.NODE_HEARTBEAT, null, "n", 3));

        assertThat(late.deleteOld()).isEqualTo(3);
        assertThat(events.find().map(MongoEventLog::seq).into(new ArrayList<>())).containsExactly(4L);
        assertThat(early.deleteOld()).as("the newest event stays, however old").isZero();
        assertThat(late.append(new StoreEvent(StoreEvent.Type.NODE_CHANGED, null, "n", 4)))
                .as("numbering goes on").isEqualTo(5);
    }

    @Test
    void eachStoreDeletesOldEventsInTheBackground() {
        MongoStore early = connect(MongoStoreOptions.defaults(TIMEOUT).withClock(Clock.fixed(T0, ZoneOffset.UTC)));
        early.create("live", new Broadcast("a"));
        early.create("live", new Broadcast("b"));
        MongoStore late = connect(MongoStoreOptions.defaults(TIMEOUT)
                .withClock(Clock.fixed(T0.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .withCleanupPeriod(Duration.ofMillis(50)));
        late.create("live", new Broadcast("c"));

        await().atMost(Duration.ofSeconds(5)).until(() -> events().countDocuments() == 1);
        assertThat(events().find().first()).containsEntry("key", "c");
    }

    private MongoStore connect(MongoStoreOptions options) {
        MongoStore store = MongoStore.connect(server.uri(DATABASE), options);
        stores.add(store);
        return store;
    }

    private static MongoCollection<Document> events() {
        return server.database(DATABASE).getCollection(MongoSchema.EVENTS);
    }

    /** Runs {@code n} calls released together, as racing nodes would make them. */
    private static void race(int n, IntConsumer call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> calls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                calls.add(pool.submit(() -> {
                    go.await();
                    call.accept(index);
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : calls) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
