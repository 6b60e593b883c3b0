package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.server.http.ApiClient;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Creating and reading broadcasts: {@code POST /{app}/rest/v2/broadcasts/create} and {@code GET .../{id}}. */
class BroadcastRoutesTest {
    /** Every field a broadcast that was never published shows, in the order Broadcast declares them. */
    private static final String[] NEW_BROADCAST_FIELDS = {"streamId", "name", "description", "status", "type",
        "publish", "date", "startTime", "duration", "updateTime", "zombi", "width", "height", "bitrate", "fps",
        "rtmpViewerCount", "httpFlvViewerCount", "hlsViewerCount", "dashViewerCount", "version"};

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

    @Test
    void createReturnsTheNewBroadcastInAntMediaServersShape() {
        long before = System.currentTimeMillis();

        Reply r = api.http().post(BroadcastApi.BASE + "/create",
                "{\"streamId\":\"cam1\",\"name\":\"Camera 1\",\"description\":\"front door\"}");

        long after = System.currentTimeMillis();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        assertThat(r.fieldNames()).containsExactlyInAnyOrder(NEW_BROADCAST_FIELDS);
        JsonNode b = r.json();
        assertThat(b.get("streamId").asText()).isEqualTo("cam1");
        assertThat(b.get("name").asText()).isEqualTo("Camera 1");
        assertThat(b.get("description").asText()).isEqualTo("front door");
        assertThat(b.get("status").asText()).isEqualTo("created");
        assertThat(b.get("type").asText()).isEqualTo("liveStream");
        assertThat(b.get("publish").asBoolean()).isTrue();
        assertThat(b.get("zombi").asBoolean()).isFalse();
        assertThat(b.get("date").asLong()).isBetween(before, after);
        assertThat(b.get("updateTime").asLong()).isEqualTo(b.get("date").asLong());
        assertThat(b.get("startTime").asLong()).isZero();
        assertThat(b.get("duration").asLong()).isZero();
        assertThat(b.get("rtmpViewerCount").asInt()).isZero();
        assertThat(b.get("httpFlvViewerCount").asInt()).isZero();
        assertThat(b.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void getReturnsTheRecordCreateReturned() {
        JsonNode created = api.create("{\"streamId\":\"cam1\",\"name\":\"Camera 1\",\"description\":\"d\"}");

        Reply r = api.get("cam1");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).isEqualTo(created);
    }

    @Test
    void createWithoutStreamIdGeneratesAValidUniqueId() {
        JsonNode first = api.create("{\"name\":\"no id\"}");
        JsonNode second = api.create("{\"streamId\":\"\",\"name\":\"empty id\"}");

        String id = first.get("streamId").asText();
        assertThat(StreamIds.isValid(id)).as("generated id %s is valid", id).isTrue();
        assertThat(second.get("streamId").asText()).isNotEqualTo(id);
        assertThat(StreamIds.isValid(second.get("streamId").asText())).isTrue();
        assertThat(api.record(id).get("name").asText()).isEqualTo("no id");
        assertThat(api.count()).isEqualTo(2);
    }

    @ParameterizedTest(name = "body [{0}]")
    @ValueSource(strings = {"", "{}", "null"})
    void createWithAnEmptyBodyCreatesABroadcastWithAGeneratedId(String body) {
        Reply r = body.isEmpty() ? api.http().send("POST", BroadcastApi.BASE + "/create", null)
                : api.http().post(BroadcastApi.BASE + "/create", body);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String id = r.json().get("streamId").asText();
        assertThat(StreamIds.isValid(id)).isTrue();
        assertThat(r.json().get("status").asText()).isEqualTo("created");
        assertThat(r.json().get("type").asText()).isEqualTo("liveStream");
        assertThat(r.json().get("publish").asBoolean()).isTrue();
        assertThat(api.get(id).status()).isEqualTo(200);
    }

    @Test
    void createWithAnIdInUseAnswers409AndKeepsTheFirst() {
        api.create("{\"streamId\":\"cam1\",\"name\":\"first\"}");

        Reply r = api.http().post(BroadcastApi.BASE + "/create", "{\"streamId\":\"cam1\",\"name\":\"second\"}");

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("Stream id cam1 is already in use.");
        assertThat(api.record("cam1").get("name").asText()).isEqualTo("first");
        assertThat(api.count()).isEqualTo(1);
    }

    @ParameterizedTest(name = "streamId \"{0}\"")
    @ValueSource(strings = {"a b", "../x", "x/y", "..", ".", "a?b", "caf\u00e9", "tab\t",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void createWithAnInvalidStreamIdAnswers400AndCreatesNothing(String id) {
        String body = "{\"streamId\":" + ApiClient.quote(id) + "}";

        Reply r = api.http().post(BroadcastApi.BASE + "/create", body);

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText())
                .isEqualTo("Invalid stream id '" + id + "': use 1 to 128 letters, digits, '_', '-' or '.'.");
        assertThat(api.count()).isZero();
    }

    @Test
    void aStreamIdOf128CharactersIsAccepted() {
        String id = "a".repeat(128);

        assertThat(api.create("{\"streamId\":\"" + id + "\"}").get("streamId").asText()).isEqualTo(id);
        assertThat(api.get(id).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated JSON        | {"streamId":                          | invalid JSON body: Unexpected end-of-input
            not JSON              | streamId=cam1                         | invalid JSON body: Unrecognized token 'streamId'
            unknown property      | {"streamId":"cam1","colour":"red"}    | invalid JSON body: Unrecognized field "colour"
            number for a string   | {"streamId":5}                        | invalid JSON body: Cannot coerce Integer value (5) to `java.lang.String` value
            string for a boolean  | {"streamId":"cam1","publish":"yes"}   | invalid JSON body: Cannot coerce String value ("yes") to `boolean` value
            null for a boolean    | {"streamId":"cam1","publish":null}    | invalid JSON body: Cannot map `null` into type `boolean`
            duplicate property    | {"streamId":"a","streamId":"b"}       | invalid JSON body: Duplicate field 'streamId'
            trailing garbage      | {"streamId":"cam1"} x                 | invalid JSON body: Unrecognized token 'x'
            an array              | []                                    | invalid JSON body: Cannot deserialize value of type `io.tributary.cluster.broadcast.Broadcast` from Array value
            """)
    void createWithABadBodyAnswers400NamingTheProblem(String what, String body, String message) {
        Reply r = api.http().post(BroadcastApi.BASE + "/create", body);

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).startsWith(message);
        assertThat(api.count()).isZero();
    }

    @Test
    void createIgnoresFieldsTheServerOwns() {
        Reply r = api.http().post(BroadcastApi.BASE + "/create", """
                {"streamId":"own","status":"broadcasting","rtmpViewerCount":7,"httpFlvViewerCount":3,
                 "hlsViewerCount":2,"zombi":true,"duration":500,"startTime":5,"bitrate":9000,"version":99,
                 "date":1,"updateTime":2,"publishType":"WebRTC","videoCodec":"vp8","audioCodec":"opus",
                 "width":640,"height":480,"fps":25.0,"ipAddr":"10.0.0.9","originAddress":"10.0.0.1"}
                """);

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        for (JsonNode b : new JsonNode[] {r.json(), api.record("own")}) {
            assertThat(b.get("status").asText()).isEqualTo("created");
            assertThat(b.get("rtmpViewerCount").asInt()).isZero();
            assertThat(b.get("httpFlvViewerCount").asInt()).isZero();
            assertThat(b.get("hlsViewerCount").asInt()).isZero();
            assertThat(b.get("zombi").asBoolean()).isFalse();
            assertThat(b.get("duration").asLong()).isZero();
            assertThat(b.get("startTime").asLong()).isZero();
            assertThat(b.get("bitrate").asLong()).isZero();
            assertThat(b.get("version").asLong()).isEqualTo(1);
            assertThat(b.get("date").asLong()).isGreaterThan(2);
            assertThat(b.get("width").asInt()).isZero();
            assertThat(b.get("height").asInt()).isZero();
            assertThat(b.get("fps").asDouble()).isZero();
            assertThat(b.has("publishType")).isFalse();
            assertThat(b.has("videoCodec")).isFalse();
            assertThat(b.has("audioCodec")).isFalse();
            assertThat(b.has("ipAddr")).isFalse();
            assertThat(b.has("originAddress")).isFalse();
        }
    }

    @Test
    void createKeepsPublishFalse() {
        assertThat(api.create("{\"streamId\":\"off\",\"publish\":false}").get("publish").asBoolean()).isFalse();
        assertThat(api.record("off").get("publish").asBoolean()).isFalse();
    }

    @Test
    void getOfAnUnknownBroadcastAnswers404() {
        Reply r = api.get("nobody");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("No broadcast nobody in live.");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET,    /nope/rest/v2/broadcasts/cam1",
        "POST,   /nope/rest/v2/broadcasts/create",
        "GET,    /nope/rest/v2/broadcasts/list/0/10",
        "GET,    /nope/rest/v2/broadcasts/count",
        "GET,    /nope/rest/v2/broadcasts/active-live-stream-count",
        "GET,    /nope/rest/v2/broadcasts/total-broadcast-statistics",
        "GET,    /nope/rest/v2/broadcasts/cam1/broadcast-statistics",
        "PUT,    /nope/rest/v2/broadcasts/cam1",
        "DELETE, /nope/rest/v2/broadcasts/cam1",
    })
    void anUnknownApplicationAnswers404(String method, String path) {
        api.create("cam1", null);

        Reply r = api.http().send(method, path, method.equals("GET") || method.equals("DELETE") ? null
                : "{\"name\":\"x\"}");

        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("No application nope.");
        assertThat(api.count()).isEqualTo(1);
    }

    /**
     * An id that is one path segment but not a valid id is a bad request; an unencoded '/' makes a path
     * no route has, so it is simply not found.
     */
    @ParameterizedTest(name = "{0} .../broadcasts/{1} -> {2}")
    @CsvSource({
        "GET,    a%20b,  400, Invalid stream id 'a b'",
        "GET,    ..%2Fx, 400, Invalid stream id '../x'",
        "GET,    x%2Fy,  400, Invalid stream id 'x/y'",
        "GET,    caf%C3%A9, 400, Invalid stream id 'caf\u00e9'",
        "GET,    x/y,    404, No such resource: /live/rest/v2/broadcasts/x/y",
        "GET,    ../x,   404, No such resource: /live/rest/v2/broadcasts/../x",
        "PUT,    a%20b,  400, Invalid stream id 'a b'",
        "PUT,    x/y,    404, No such resource: /live/rest/v2/broadcasts/x/y",
        "DELETE, a%20b,  400, Invalid stream id 'a b'",
        "DELETE, x%2Fy,  400, Invalid stream id 'x/y'",
        "DELETE, x/y,    404, No such resource: /live/rest/v2/broadcasts/x/y",
        "GET,    a%20b/broadcast-statistics, 400, Invalid stream id 'a b'",
    })
    void invalidIdsInThePath(String method, String rawId, int status, String message) {
        Reply r = api.http().send(method, BroadcastApi.BASE + "/" + rawId,
                method.equals("PUT") ? "{\"name\":\"x\"}" : null);

        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).startsWith(message);
    }
}
