package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import java.util.ArrayList;
import java.util.List;

/** The broadcast API of the {@code live} app as a script calls it, with the calls tests repeat. */
final class BroadcastApi {
    static final String BASE = "/live/rest/v2/broadcasts";

    private final ApiClient http;

    BroadcastApi(TestNode node) {
        this.http = new ApiClient(node);
    }

    ApiClient http() {
        return http;
    }

    /** Creates a broadcast from a JSON body and returns the created record; fails the test unless 200. */
    JsonNode create(String json) {
        Reply r = http.post(BASE + "/create", json);
        assertThat(r.status()).as("create %s -> %s", json, r).isEqualTo(200);
        return r.json();
    }

    JsonNode create(String streamId, String name) {
        return create(name == null ? "{\"streamId\":\"" + streamId + "\"}"
                : "{\"streamId\":\"" + streamId + "\",\"name\":\"" + name + "\"}");
    }

    Reply get(String streamId) {
        return http.get(BASE + "/" + streamId);
    }

    /** The record of an existing broadcast; fails the test unless 200. */
    JsonNode record(String streamId) {
        Reply r = get(streamId);
        assertThat(r.status()).as("GET %s -> %s", streamId, r).isEqualTo(200);
        return r.json();
    }

    Reply put(String streamId, String json) {
        return http.put(BASE + "/" + streamId, json);
    }

    Reply delete(String streamId) {
        return http.delete(BASE + "/" + streamId);
    }

    Reply list(String offsetSizeAndQuery) {
        return http.get(BASE + "/list/" + offsetSizeAndQuery);
    }

    /** The stream ids of a list page, in order; fails the test unless 200. */
    List<String> listIds(String offsetSizeAndQuery) {
        Reply r = list(offsetSizeAndQuery);
        assertThat(r.status()).as("list %s -> %s", offsetSizeAndQuery, r).isEqualTo(200);
        assertThat(r.json().isArray()).as("list body is an array: %s", r.body()).isTrue();
        List<String> ids = new ArrayList<>();
        r.json().forEach(b -> ids.add(b.get("streamId").asText()));
        return ids;
    }

    long count() {
        return number(BASE + "/count");
    }

    long activeCount() {
        return number(BASE + "/active-live-stream-count");
    }

    Reply statistics(String streamId) {
        return http.get(BASE + "/" + streamId + "/broadcast-statistics");
    }

    Reply totalStatistics() {
        return http.get(BASE + "/total-broadcast-statistics");
    }

    /** A {"number": n} answer; fails the test if the shape is anything else. */
    private long number(String path) {
        Reply r = http.get(path);
        assertThat(r.status()).as("GET %s -> %s", path, r).isEqualTo(200);
        assertThat(r.fieldNames()).as("GET %s", path).containsExactly("number");
        return r.json().get("number").asLong();
    }
}
