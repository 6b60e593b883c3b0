package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code PUT /{app}/rest/v2/broadcasts/{id}}: changing what a client may change, and nothing else. */
class BroadcastUpdateTest {
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
    void putChangesNameDescriptionAndPublishAndAnswersWithTheId() {
        JsonNode before = api.create("{\"streamId\":\"cam1\",\"name\":\"old\",\"description\":\"old d\"}");

        Reply r = api.put("cam1", "{\"name\":\"new\",\"description\":\"new d\",\"publish\":false}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.fieldNames()).containsExactly("success", "dataId");
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(r.json().get("dataId").asText()).isEqualTo("cam1");
        JsonNode after = api.record("cam1");
        assertThat(after.get("name").asText()).isEqualTo("new");
        assertThat(after.get("description").asText()).isEqualTo("new d");
        assertThat(after.get("publish").asBoolean()).isFalse();
        assertThat(after.get("status").asText()).isEqualTo("created");
        assertThat(after.get("date").asLong()).isEqualTo(before.get("date").asLong());
        assertThat(after.get("updateTime").asLong()).isGreaterThanOrEqualTo(before.get("updateTime").asLong());
        assertThat(after.get("version").asLong()).isEqualTo(2);
    }

    @Test
    void putChangesOnlyTheFieldsItNames() {
        api.create("{\"streamId\":\"cam1\",\"name\":\"old\",\"description\":\"keep me\"}");

        assertThat(api.put("cam1", "{\"name\":\"new\"}").status()).isEqualTo(200);

        JsonNode after = api.record("cam1");
        assertThat(after.get("name").asText()).isEqualTo("new");
        assertThat(after.get("description").asText()).isEqualTo("keep me");
        assertThat(after.get("publish").asBoolean()).isTrue();
    }

    @Test
    void putWithTheSameStreamIdInTheBodyIsAccepted() {
        api.create("cam1", "old");

        Reply r = api.put("cam1", "{\"streamId\":\"cam1\",\"name\":\"new\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(api.record("cam1").get("name").asText()).isEqualTo("new");
    }

    @Test
    void putIgnoresFieldsTheServerOwns() {
        api.create("cam1", "old");

        Reply r = api.put("cam1", "{\"status\":\"broadcasting\",\"rtmpViewerCount\":5,\"zombi\":true,"
                + "\"duration\":99,\"date\":1}");

        assertThat(r.status()).isEqualTo(200);
        JsonNode after = api.record("cam1");
        assertThat(after.get("status").asText()).isEqualTo("created");
        assertThat(after.get("rtmpViewerCount").asInt()).isZero();
        assertThat(after.get("zombi").asBoolean()).isFalse();
        assertThat(after.get("duration").asLong()).isZero();
        assertThat(after.get("date").asLong()).isGreaterThan(1);
    }

    @Test
    void putOfAnUnknownBroadcastAnswers404AndCreatesNothing() {
        Reply r = api.put("nobody", "{\"name\":\"x\"}");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("No broadcast nobody in live.");
        assertThat(api.count()).isZero();
    }

    @Test
    void putThatWouldChangeTheStreamIdAnswers400() {
        api.create("cam1", "old");

        Reply r = api.put("cam1", "{\"streamId\":\"cam2\",\"name\":\"new\"}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText())
                .isEqualTo("streamId cannot be changed (path says cam1, body says cam2)");
        assertThat(api.record("cam1").get("name").asText()).isEqualTo("old");
        assertThat(api.get("cam2").status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            no body           | NONE                          | a JSON body with the fields to change is required
            JSON null         | null                          | a JSON body with the fields to change is required
            truncated JSON    | {"name":                      | invalid JSON body: Unexpected end-of-input
            unknown property  | {"nmae":"typo"}               | invalid JSON body: Unrecognized field "nmae"
            null for publish  | {"publish":null}              | invalid JSON body: Cannot map `null` into type `boolean`
            an array          | ["name"]                      | invalid JSON body: Cannot deserialize value of type `io.tributary.cluster.broadcast.Broadcast` from Array value
            """)
    void putWithoutAUsableBodyAnswers400AndChangesNothing(String what, String body, String message) {
        api.create("cam1", "old");

        Reply r = api.http().send("PUT", BroadcastApi.BASE + "/cam1", body);

        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).startsWith(message);
        assertThat(api.record("cam1").get("name").asText()).isEqualTo("old");
        assertThat(api.record("cam1").get("version").asLong()).isEqualTo(1);
    }
}
