package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code DELETE /{app}/rest/v2/broadcasts/{id}}: the record goes, and a live stream stops with it. */
class BroadcastDeleteTest {
    private TestNode node;
    private BroadcastApi api;
    private TestRtmp rtmp;

    @BeforeEach
    void start() {
        node = TestNode.start();
        api = new BroadcastApi(node);
        rtmp = new TestRtmp();
    }

    @AfterEach
    void stop() {
        rtmp.close();
        node.close();
    }

    @Test
    void deleteRemovesTheBroadcast() {
        api.create("cam1", "Camera 1");
        api.create("cam2", "Camera 2");

        Reply r = api.delete("cam1");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.fieldNames()).containsExactly("success", "dataId");
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(r.json().get("dataId").asText()).isEqualTo("cam1");
        assertThat(api.get("cam1").status()).isEqualTo(404);
        assertThat(api.listIds("0/10")).containsExactly("cam2");
        assertThat(api.count()).isEqualTo(1);
    }

    @Test
    void deletingTwiceAnswers404TheSecondTime() {
        api.create("cam1", null);
        assertThat(api.delete("cam1").status()).isEqualTo(200);

        Reply r = api.delete("cam1");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("No broadcast cam1 in live.");
    }

    @Test
    void deleteOfAnUnknownBroadcastAnswers404() {
        Reply r = api.delete("nobody");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("No broadcast nobody in live.");
    }

    @Test
    void deletingALiveBroadcastDisconnectsItsPublisherAndEndsTheStream() throws Exception {
        api.create("show", "The Show");
        TestRtmp.Publishing publisher = rtmp.publish(node, "show");
        TestRtmp.Playing viewer = rtmp.play(node, "show");
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "broadcasting".equals(api.record("show").get("status").asText()));

        Reply r = api.delete("show");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();
        TestRtmp.awaitClosed(publisher.session());
        await().atMost(Duration.ofSeconds(10)).until(() -> viewer.statuses().contains("NetStream.Play.Stop"));
        assertThat(rtmp.playRefusal(node, "show")).isEqualTo("NetStream.Play.StreamNotFound");
        try (FlvReader flv = FlvReader.open(node, "show")) {
            assertThat(flv.status()).isEqualTo(404);
        }
        assertThat(api.get("show").status()).isEqualTo(404);
        assertThat(api.activeCount()).isZero();
        assertThat(api.count()).isZero();
    }

    @Test
    void deletingALiveStreamNobodyCreatedDisconnectsItAndAnswersSuccess() {
        TestRtmp.Publishing publisher = rtmp.publish(node, "walkin");
        await().atMost(Duration.ofSeconds(10)).until(() -> api.get("walkin").status() == 200);

        Reply r = api.delete("walkin");

        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("success").asBoolean()).isTrue();
        assertThat(r.json().get("dataId").asText()).isEqualTo("walkin");
        TestRtmp.awaitClosed(publisher.session());
        assertThat(api.get("walkin").status()).isEqualTo(404);
        assertThat(api.activeCount()).isZero();
    }

    @Test
    void aDeletedBroadcastsIdCanBeCreatedAndPublishedAgain() {
        api.create("cam1", "first");
        TestRtmp.Publishing first = rtmp.publish(node, "cam1");
        assertThat(api.delete("cam1").status()).isEqualTo(200);
        TestRtmp.awaitClosed(first.session());

        api.create("cam1", "second");
        rtmp.publish(node, "cam1");

        await().atMost(Duration.ofSeconds(10))
                .until(() -> "broadcasting".equals(api.record("cam1").get("status").asText()));
        assertThat(api.record("cam1").get("name").asText()).isEqualTo("second");
        assertThat(api.record("cam1").get("zombi").asBoolean()).isFalse();
    }
}
