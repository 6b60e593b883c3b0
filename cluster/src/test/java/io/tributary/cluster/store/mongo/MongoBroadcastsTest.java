package io.tributary.cluster.store.mongo;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.store.BroadcastPages;
import io.tributary.cluster.store.BroadcastQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pages sorted by MongoDB must be the pages {@link BroadcastPages} makes in memory, which is how every
 * engine pages: same filter, same order (case-insensitive names, missing names first, ties by stream id).
 */
class MongoBroadcastsTest {

    private static final String[] NAMES = {"zebra", "Zebra", null, "apple", "Émile", "éclair", "ſpecial",
        "Special", "apple", null, "Mango", "mango pie", "b", "B", "ÿ"};

    private static MongoTestServer server;
    private static MongoStore store;
    private static List<Broadcast> records;

    @BeforeAll
    static void fill() {
        server = MongoTestServer.start();
        server.database("pages").drop();
        store = MongoStore.connect(server.uri("pages"), Duration.ofSeconds(2));
        records = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            Broadcast b = new Broadcast(String.format("id-%02d", (i * 7) % NAMES.length));
            b.setName(NAMES[i]);
            b.setDate(1000 + i % 4); // ties, broken by stream id
            b.setStatus(i % 3 == 0 ? BroadcastStatus.BROADCASTING : i % 3 == 1 ? BroadcastStatus.FINISHED : null);
            store.create("live", b);
            records.add(store.get("live", b.getStreamId()).orElseThrow());
        }
        store.create("other", new Broadcast("id-00"));
    }

    @AfterAll
    static void close() {
        store.close();
        server.close();
    }

    static Stream<Arguments> queries() {
        List<Arguments> all = new ArrayList<>();
        for (String key : BroadcastQuery.SORT_KEYS) {
            for (boolean descending : new boolean[] {false, true}) {
                for (String search : Arrays.asList(null, "E", "id-1", "APPLE", "nothing")) {
                    for (int[] page : new int[][] {{0, 50}, {0, 4}, {3, 5}, {12, 50}}) {
                        all.add(Arguments.of(new BroadcastQuery(key, descending, search), page[0], page[1]));
                    }
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest
    @MethodSource("queries")
    void aPageFromMongoIsThePageEveryEngineMakes(BroadcastQuery query, int offset, int size) {
        List<String> expected = BroadcastPages.page(records.stream(), offset, size, query).stream()
                .map(Broadcast::getStreamId).toList();

        assertThat(store.list("live", offset, size, query)).extracting(Broadcast::getStreamId)
                .containsExactlyElementsOf(expected);
    }
}
