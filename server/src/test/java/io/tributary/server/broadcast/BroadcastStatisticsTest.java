package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.server.http.ApiClient;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Counts and viewer statistics: {@code /count}, {@code /active-live-stream-count},
 * {@code /{id}/broadcast-statistics} and {@code /total-broadcast-statistics}.
 */
class BroadcastStatisticsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(10);

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
    void countsFollowCreatesPublishesAndStops() {
        assertThat(api.count()).isZero();
        assertThat(api.activeCount()).isZero();

        api.create("a", null);
        api.create("b", null);
        assertThat(api.count()).isEqualTo(2);
        assertThat(api.activeCount()).isZero();

        TestRtmp.Publishing a = rtmp.publish(node, "a");
        assertThat(api.activeCount()).isEqualTo(1);
        assertThat(api.count()).isEqualTo(2);

        TestRtmp.Publishing walkIn = rtmp.publish(node, "walkin");
        assertThat(api.activeCount()).isEqualTo(2);
        await().atMost(DEADLINE).until(() -> api.count() == 3);

        walkIn.session().close();
        await().atMost(DEADLINE).until(() -> api.activeCount() == 1 && api.count() == 2);

        a.session().close();
        await().atMost(DEADLINE).until(() -> api.activeCount() == 0);
        assertThat(api.count()).isEqualTo(2);
    }

    @Test
    void statisticsCountRtmpAndHttpFlvViewersWhileTheyWatch() throws Exception {
        api.create("show", null);
        rtmp.publish(node, "show");
        RtmpSession first = rtmp.play(node, "show").session();
        rtmp.play(node, "show");
        FlvReader flv = FlvReader.open(node, "show");
        try {
            assertThat(flv.status()).isEqualTo(200);

            await().atMost(DEADLINE).untilAsserted(() -> {
                Reply r = api.statistics("show");
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.json()).isEqualTo(ApiClient.parse(
                        "{\"totalRTMPWatchersCount\":2,\"totalHttpFlvWatchersCount\":1,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0}"));
            });
            assertThat(api.totalStatistics().json()).isEqualTo(ApiClient.parse(
                    "{\"totalRTMPWatchersCount\":2,\"totalHttpFlvWatchersCount\":1,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0,\"activeLiveStreamCount\":1}"));
            JsonNode record = api.record("show");
            assertThat(record.get("rtmpViewerCount").asInt()).isEqualTo(2);
            assertThat(record.get("httpFlvViewerCount").asInt()).isEqualTo(1);

            first.close();
            flv.close();

            await().atMost(DEADLINE).untilAsserted(() -> assertThat(api.statistics("show").json()).isEqualTo(
                    ApiClient.parse("{\"totalRTMPWatchersCount\":1,\"totalHttpFlvWatchersCount\":0,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0}")));
            assertThat(api.totalStatistics().json()).isEqualTo(ApiClient.parse(
                    "{\"totalRTMPWatchersCount\":1,\"totalHttpFlvWatchersCount\":0,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0,\"activeLiveStreamCount\":1}"));
        } finally {
            flv.close();
        }
    }

    @Test
    void totalStatisticsAddUpEveryLiveStreamOfTheApp() throws Exception {
        rtmp.publish(node, "one");
        rtmp.publish(node, "two");
        rtmp.play(node, "one");
        rtmp.play(node, "two");
        try (FlvReader flv = FlvReader.open(node, "two")) {
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(api.totalStatistics().json()).isEqualTo(
                    ApiClient.parse("{\"totalRTMPWatchersCount\":2,\"totalHttpFlvWatchersCount\":1,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0,"
                            + "\"activeLiveStreamCount\":2}")));
        }
    }

    @Test
    void aBroadcastNobodyWatchesHasZeroViewers() {
        api.create("quiet", null);

        Reply r = api.statistics("quiet");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        assertThat(r.json()).isEqualTo(
                ApiClient.parse("{\"totalRTMPWatchersCount\":0,\"totalHttpFlvWatchersCount\":0,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0}"));
        assertThat(api.totalStatistics().json()).isEqualTo(ApiClient.parse(
                "{\"totalRTMPWatchersCount\":0,\"totalHttpFlvWatchersCount\":0,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0,\"activeLiveStreamCount\":0}"));
    }

    @Test
    void statisticsOfAnUnknownBroadcastAnswers404() {
        Reply r = api.statistics("nobody");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("No broadcast nobody in live.");
    }
}
