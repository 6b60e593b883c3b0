package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subtracks (Ant Media Server's role and mainTrackStreamId) are listed and counted under their main track. */
class BroadcastSubtracksTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start();
        post("{\"streamId\":\"room1\"}");
        post("{\"streamId\":\"cam-a\",\"mainTrackStreamId\":\"room1\",\"role\":\"speaker\"}");
        post("{\"streamId\":\"cam-b\",\"mainTrackStreamId\":\"room1\",\"role\":\"audience\"}");
        post("{\"streamId\":\"cam-c\",\"mainTrackStreamId\":\"room1\",\"role\":\"speaker\"}");
        post("{\"streamId\":\"other\",\"mainTrackStreamId\":\"room2\"}");
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void subtracksAreListedAndCountedUnderTheirMainTrackByRole() throws Exception {
        assertThat(ids(get("/live/rest/v2/broadcasts/room1/subtracks/0/10"))).containsExactly("cam-a", "cam-b", "cam-c");
        assertThat(ids(get("/live/rest/v2/broadcasts/room1/subtracks/0/10?role=speaker"))).containsExactly("cam-a", "cam-c");
        assertThat(ids(get("/live/rest/v2/broadcasts/room1/subtracks/1/1"))).containsExactly("cam-b");
        assertThat(get("/live/rest/v2/broadcasts/room1/subtrack-count").get("number").asInt()).isEqualTo(3);
        assertThat(get("/live/rest/v2/broadcasts/room1/subtrack-count?role=audience").get("number").asInt()).isEqualTo(1);
    }

    @Test
    void theMainTrackNamesItsSubtracksAndLosesADeletedOne() throws Exception {
        post("{\"streamId\":\"room3\"}");
        post("{\"streamId\":\"s1\",\"mainTrackStreamId\":\"room3\"}");
        post("{\"streamId\":\"s2\",\"mainTrackStreamId\":\"room3\"}");
        assertThat(get("/live/rest/v2/broadcasts/room3").get("subTrackStreamIds").toString()).isEqualTo("[\"s1\",\"s2\"]");

        HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl("/live/rest/v2/broadcasts/s1"))).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(get("/live/rest/v2/broadcasts/room3").get("subTrackStreamIds").toString()).isEqualTo("[\"s2\"]");
    }

    @Test
    void subtracksOfAnUnknownBroadcastAre404() throws Exception {
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl("/live/rest/v2/broadcasts/nope/subtracks/0/10")))
                .build(), HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
    }

    private static void post(String body) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl("/live/rest/v2/broadcasts/create")))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static List<String> ids(JsonNode array) {
        List<String> ids = new ArrayList<>();
        array.forEach(b -> ids.add(b.get("streamId").asText()));
        return ids;
    }
}
