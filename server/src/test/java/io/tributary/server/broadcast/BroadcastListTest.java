package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code GET /{app}/rest/v2/broadcasts/list/{offset}/{size}?sort_by=&order_by=&search=}. */
class BroadcastListTest {
    private TestNode node;
    private BroadcastApi api;

    @BeforeEach
    void startNode() {
        node = TestNode.start();
        api = new BroadcastApi(node);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    /** Created one after the other, so date order is also id order (equal dates are ordered by id). */
    private void createInOrder(String... ids) {
        for (String id : ids) {
            api.create(id, null);
        }
    }

    @Test
    void anAppWithoutBroadcastsListsAnEmptyArray() {
        Reply r = api.list("0/10");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        assertThat(r.body()).isEqualTo("[]");
    }

    @Test
    void pagesFollowOffsetAndSizeOldestFirst() {
        createInOrder("b1", "b2", "b3", "b4", "b5");

        assertThat(api.listIds("0/2")).containsExactly("b1", "b2");
        assertThat(api.listIds("2/2")).containsExactly("b3", "b4");
        assertThat(api.listIds("4/2")).containsExactly("b5");
        assertThat(api.listIds("5/2")).isEmpty();
        assertThat(api.listIds("0/0")).isEmpty();
        assertThat(api.listIds("0/10")).containsExactly("b1", "b2", "b3", "b4", "b5");
    }

    @Test
    void listEntriesAreWholeBroadcastRecords() {
        api.create("{\"streamId\":\"cam1\",\"name\":\"Camera 1\",\"description\":\"d\"}");

        Reply r = api.list("0/10");

        assertThat(r.json()).hasSize(1);
        assertThat(r.json().get(0)).isEqualTo(api.record("cam1"));
    }

    @Test
    void aPageHoldsAtMost50Broadcasts() {
        for (int i = 0; i < 55; i++) {
            api.create(String.format("s%02d", i), null);
        }

        List<String> first = api.listIds("0/100");
        List<String> rest = api.listIds("50/100");

        assertThat(first).hasSize(50).startsWith("s00", "s01").endsWith("s49");
        assertThat(rest).containsExactly("s50", "s51", "s52", "s53", "s54");
        assertThat(api.count()).isEqualTo(55);
    }

    @Test
    void sortByDateDescendingListsTheNewestFirst() {
        createInOrder("b1", "b2", "b3");

        assertThat(api.listIds("0/10?sort_by=date&order_by=desc")).containsExactly("b3", "b2", "b1");
        assertThat(api.listIds("0/10?sort_by=date&order_by=asc")).containsExactly("b1", "b2", "b3");
        assertThat(api.listIds("0/2?order_by=desc")).containsExactly("b3", "b2");
    }

    @Test
    void sortByNameIgnoresCaseAndPutsBroadcastsWithoutANameFirst() {
        api.create("c", "charlie");
        api.create("a", "Alpha");
        api.create("n", null);
        api.create("b", "bravo");

        assertThat(api.listIds("0/10?sort_by=name")).containsExactly("n", "a", "b", "c");
        assertThat(api.listIds("0/10?sort_by=name&order_by=asc")).containsExactly("n", "a", "b", "c");
        assertThat(api.listIds("0/10?sort_by=name&order_by=desc")).containsExactly("c", "b", "a", "n");
    }

    @Test
    void sortByStreamId() {
        createInOrder("m", "z", "a");

        assertThat(api.listIds("0/10?sort_by=streamId&order_by=asc")).containsExactly("a", "m", "z");
        assertThat(api.listIds("0/10?sort_by=streamId&order_by=desc")).containsExactly("z", "m", "a");
    }

    @Test
    void sortByStatusOrdersBroadcastingCreatedFinished() {
        createInOrder("c-created", "f-finished", "l-live");
        try (TestRtmp rtmp = new TestRtmp()) {
            TestRtmp.Publishing earlier = rtmp.publish(node, "f-finished");
            earlier.session().close();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> "finished".equals(api.record("f-finished").get("status").asText()));
            rtmp.publish(node, "l-live");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> api.listIds("0/10?sort_by=status").get(0).equals("l-live"));

            assertThat(api.listIds("0/10?sort_by=status&order_by=asc"))
                    .containsExactly("l-live", "c-created", "f-finished");
            assertThat(api.listIds("0/10?sort_by=status&order_by=desc"))
                    .containsExactly("f-finished", "c-created", "l-live");
            Reply r = api.list("0/10?sort_by=status");
            assertThat(r.json().get(0).get("status").asText()).isEqualTo("broadcasting");
            assertThat(r.json().get(1).get("status").asText()).isEqualTo("created");
            assertThat(r.json().get(2).get("status").asText()).isEqualTo("finished");
        }
    }

    @Test
    void searchMatchesPartOfTheStreamIdOrTheNameIgnoringCase() {
        api.create("front-door", "Entrance");
        api.create("back-door", null);
        api.create("garage", "Side Door");
        api.create("kitchen", "Kitchen");

        assertThat(api.listIds("0/10?search=DOOR&sort_by=streamId"))
                .containsExactly("back-door", "front-door", "garage");
        assertThat(api.listIds("0/10?search=front")).containsExactly("front-door");
        assertThat(api.listIds("0/10?search=entr")).containsExactly("front-door");
        assertThat(api.listIds("0/10?search=attic")).isEmpty();
        assertThat(api.listIds("0/1?search=door&sort_by=streamId&order_by=desc")).containsExactly("garage");
        assertThat(api.listIds("0/10?search=Side%20Door")).containsExactly("garage");
    }

    /** Ant Media Server's panel and many scripts send every query parameter, empty when unused. */
    @Test
    void emptyQueryParametersMeanNoSortingOrderOrFilter() {
        createInOrder("b1", "b2", "b3");

        assertThat(api.listIds("0/10?sort_by=&order_by=&search=")).containsExactly("b1", "b2", "b3");
    }

    @ParameterizedTest(name = "list/{0} -> 400")
    @CsvSource(delimiter = '|', textBlock = """
            -1/10                 | offset must be a whole number of 0 or more, not '-1'
            abc/10                | offset must be a whole number of 0 or more, not 'abc'
            1.5/10                | offset must be a whole number of 0 or more, not '1.5'
            99999999999/10        | offset must be a whole number of 0 or more, not '99999999999'
            0/-5                  | size must be a whole number of 0 or more, not '-5'
            0/ten                 | size must be a whole number of 0 or more, not 'ten'
            0/10?sort_by=colour   | sort_by: cannot sort broadcasts by 'colour' (use one of [date, name, status, streamId])
            0/10?sort_by=DROP%20TABLE | sort_by: cannot sort broadcasts by 'DROP TABLE' (use one of [date, name, status, streamId])
            0/10?order_by=up      | order_by must be asc or desc, not 'up'
            """)
    void badPagingOrSortingAnswers400WithAMessage(String query, String message) {
        api.create("cam1", null);

        Reply r = api.list(query);

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo(message);
    }

    @Test
    void listOfAnUnknownAppAnswers404() {
        Reply r = api.http().get("/nope/rest/v2/broadcasts/list/0/10");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("message").asText()).isEqualTo("No application nope.");
    }
}
