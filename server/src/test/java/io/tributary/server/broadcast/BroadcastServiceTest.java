package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How publishing moves broadcast records, as the API shows it: created, broadcasting (with the live
 * stream's figures), finished; zombi records for streams nobody created; who may publish.
 */
class BroadcastServiceTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);
    /** ffmpeg needs a moment to start encoding 720p on a slow machine. */
    private static final Duration ENCODER_DEADLINE = Duration.ofSeconds(30);

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

    private String status(String streamId) {
        return api.record(streamId).get("status").asText();
    }

    @Test
    void aCreatedBroadcastGoesFromCreatedToBroadcastingToFinishedWithAnEncoder() {
        api.create("show", "The Show");
        assertThat(status("show")).isEqualTo("created");
        JsonNode lastLive;

        try (ManagedProcess ffmpeg = Ffmpeg.publish(node.rtmpUrl("live", "show"), Duration.ofSeconds(30))) {
            JsonNode live;
            try {
                live = await().atMost(ENCODER_DEADLINE).pollInterval(Duration.ofMillis(200))
                        .until(() -> api.record("show"), b -> "broadcasting".equals(b.get("status").asText())
                                && b.get("width").asInt() > 0 && b.has("audioCodec") && b.get("bitrate").asLong() > 0);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("never live with codecs: " + api.get("show") + "; ffmpeg said: "
                        + ffmpeg.stderr(), e);
            }

            assertThat(live.get("videoCodec").asText()).as(ffmpeg.stderr()).isEqualTo("h264");
            assertThat(live.get("width").asInt()).isEqualTo(1280);
            assertThat(live.get("height").asInt()).isEqualTo(720);
            assertThat(live.get("audioCodec").asText()).isEqualTo("aac");
            assertThat(live.get("fps").asDouble()).isEqualTo(30.0);
            assertThat(live.get("publishType").asText()).isEqualTo("RTMP");
            assertThat(live.get("ipAddr").asText()).isEqualTo("127.0.0.1");
            assertThat(live.get("originAddress").asText()).isEqualTo("127.0.0.1");
            assertThat(live.get("zombi").asBoolean()).isFalse();
            assertThat(live.get("name").asText()).isEqualTo("The Show");
            assertThat(live.get("startTime").asLong()).isGreaterThan(live.get("date").asLong());
            long duration = live.get("duration").asLong();
            lastLive = await().atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.record("show"), b -> b.get("duration").asLong() > duration + 500);
            assertThat(api.activeCount()).isEqualTo(1);
        }

        JsonNode finished = await().atMost(DEADLINE)
                .until(() -> api.record("show"), b -> "finished".equals(b.get("status").asText()));
        assertThat(finished.get("duration").asLong()).isGreaterThanOrEqualTo(lastLive.get("duration").asLong());
        assertThat(finished.get("startTime").asLong()).isEqualTo(lastLive.get("startTime").asLong());
        assertThat(finished.get("videoCodec").asText()).isEqualTo("h264");
        assertThat(finished.get("width").asInt()).isEqualTo(1280);
        assertThat(finished.get("height").asInt()).isEqualTo(720);
        assertThat(finished.get("audioCodec").asText()).isEqualTo("aac");
        assertThat(finished.get("bitrate").asLong()).isPositive();
        assertThat(finished.get("rtmpViewerCount").asInt()).isZero();
        assertThat(finished.get("publishType").asText()).isEqualTo("RTMP");
        assertThat(api.activeCount()).isZero();
    }

    @Test
    void aFinishedBroadcastGoesLiveAgainWhenRepublished() {
        api.create("show", null);
        rtmp.publish(node, "show").session().close();
        await().atMost(DEADLINE).until(() -> status("show").equals("finished"));

        TestRtmp.Publishing again = rtmp.publish(node, "show");

        await().atMost(DEADLINE).until(() -> status("show").equals("broadcasting"));
        again.session().close();
        await().atMost(DEADLINE).until(() -> status("show").equals("finished"));
        assertThat(api.count()).isEqualTo(1);
    }

    @Test
    void aStreamNobodyCreatedIsAZombiRecordWhileLiveAndGoneAfterItStops() {
        long before = System.currentTimeMillis();
        TestRtmp.Publishing publisher = rtmp.publish(node, "walkin");

        JsonNode zombi = await().atMost(DEADLINE)
                .until(() -> api.get("walkin"), r -> r.status() == 200).json();
        assertThat(zombi.get("streamId").asText()).isEqualTo("walkin");
        assertThat(zombi.get("zombi").asBoolean()).isTrue();
        assertThat(zombi.get("status").asText()).isEqualTo("broadcasting");
        assertThat(zombi.get("type").asText()).isEqualTo("liveStream");
        assertThat(zombi.get("publishType").asText()).isEqualTo("RTMP");
        assertThat(zombi.get("publish").asBoolean()).isTrue();
        assertThat(zombi.get("date").asLong()).isGreaterThanOrEqualTo(before);
        assertThat(zombi.get("startTime").asLong()).isGreaterThanOrEqualTo(before);
        assertThat(api.listIds("0/10")).containsExactly("walkin");
        assertThat(api.count()).isEqualTo(1);

        publisher.session().close();

        await().atMost(DEADLINE).until(() -> api.get("walkin").status() == 404);
        assertThat(api.listIds("0/10")).isEmpty();
        assertThat(api.count()).isZero();
    }

    @Test
    void aBroadcastThatForbidsPublishingRefusesPublishersAsUnauthorized() {
        api.create("{\"streamId\":\"off\",\"publish\":false}");

        assertThat(rtmp.publishRefusal(node, "off")).isEqualTo("NetStream.Publish.Unauthorized");

        assertThat(status("off")).isEqualTo("created");
        assertThat(api.activeCount()).isZero();
    }

    @Test
    void publishingFollowsThePublishFlagAsItIsUpdated() {
        api.create("cam1", null);
        assertThat(api.put("cam1", "{\"publish\":false}").status()).isEqualTo(200);
        assertThat(rtmp.publishRefusal(node, "cam1")).isEqualTo("NetStream.Publish.Unauthorized");

        assertThat(api.put("cam1", "{\"publish\":true}").status()).isEqualTo(200);
        rtmp.publish(node, "cam1");

        await().atMost(DEADLINE).until(() -> status("cam1").equals("broadcasting"));
    }

    @Test
    void aSecondPublisherOfALiveStreamIsRefusedAndTheFirstKeepsIt() {
        api.create("show", null);
        TestRtmp.Publishing first = rtmp.publish(node, "show");
        await().atMost(DEADLINE).until(() -> status("show").equals("broadcasting"));

        assertThat(rtmp.publishRefusal(node, "show")).isEqualTo("NetStream.Publish.BadName");

        assertThat(first.session().channel().isActive()).isTrue();
        assertThat(status("show")).isEqualTo("broadcasting");
        assertThat(api.activeCount()).isEqualTo(1);
    }

    @Test
    void withoutAcceptUndefinedOnlyCreatedBroadcastsMayBePublished() {
        try (TestNode strict = TestNode.builder().set("stream.acceptUndefined", "false").start()) {
            BroadcastApi strictApi = new BroadcastApi(strict);

            assertThat(rtmp.publishRefusal(strict, "ghost")).isEqualTo("NetStream.Publish.BadName");
            assertThat(strictApi.get("ghost").status()).isEqualTo(404);
            assertThat(strictApi.count()).isZero();

            strictApi.create("real", null);
            rtmp.publish(strict, "real");
            await().atMost(DEADLINE)
                    .until(() -> strictApi.record("real").get("status").asText().equals("broadcasting"));
            assertThat(strictApi.activeCount()).isEqualTo(1);
        }
    }
}
