package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.media.StreamPath;
import io.tributary.rtmp.client.RtmpStatusException;
import io.tributary.rtmp.command.Status;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publish and play webhooks, as an SRS user's hook service sees them: the JSON it is sent, and what its
 * answer does to the publisher or player. A refusal leaves the running stream and its players alone.
 */
class StreamAccessWebhookTest {
    private static TestNode node;
    private static AccessCalls calls;
    private static HookServer hook;
    private static ManagedProcess publisher;
    private final TestRtmp rtmp = new TestRtmp();

    @BeforeAll
    static void start() {
        hook = new HookServer();
        node = TestNode.builder().set("stream.access.webhookTimeout", "1s").set("hls.segmentDuration", "1s").start();
        calls = new AccessCalls(node);
        calls.settings("live", "{\"webhookPublishUrl\": \"" + hook.url() + "\", \"webhookPlayUrl\": \""
                + hook.url() + "\"}");
        publisher = Ffmpeg.publish(node.rtmpUrl("live", "cam?token=abc&user=7"), Duration.ofSeconds(300), "aac",
                "640x360");
        await().atMost(Duration.ofSeconds(20)).until(() -> node.node().streams().find(new StreamPath("live", "cam"))
                .map(s -> s.info().width() > 0).orElse(false));
    }

    @AfterAll
    static void stop() {
        publisher.close();
        node.close();
        hook.close();
    }

    @BeforeEach
    void allow() {
        hook.answer(200, "{\"code\": 0}");
    }

    @AfterEach
    void closeClients() {
        rtmp.close();
    }

    @Test
    void thePublishHookGotSrsJsonForTheEncoder() {
        JsonNode call = hook.calls().stream().filter(c -> c.path("action").asText().equals("on_publish")
                && c.path("stream").asText().equals("cam")).findFirst().orElseThrow();

        assertThat(call.path("app").asText()).isEqualTo("live");
        assertThat(call.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(call.path("param").asText()).startsWith("?").contains("token=abc").contains("user=7");
        assertThat(call.path("tcUrl").asText()).isEqualTo("rtmp://127.0.0.1:" + node.node().rtmpPort() + "/live");
        assertThat(call.path("server_id").asText()).isEqualTo(node.node().nodeId());
        assertThat(call.path("protocol").asText()).isEqualTo("rtmp");
    }

    @Test
    void aPublishTheHookRefusesIsUnauthorized() {
        for (String[] answer : new String[][] {{"200", "{\"code\": 1}"}, {"500", "{\"code\": 0}"}, {"200", "1"}}) {
            hook.answer(Integer.parseInt(answer[0]), answer[1]);
            RtmpStatusException refused = rtmp.publishRefused(node, "live", "intruder");

            assertThat(refused.code()).isEqualTo(Status.PUBLISH_UNAUTHORIZED);
            assertThat(refused.getMessage()).contains("Refused by the on_publish webhook (HTTP " + answer[0] + ")");
        }
        assertThat(publisher.isAlive()).isTrue();
    }

    @Test
    void playsAreAskedAboutOverEveryProtocol() throws Exception {
        hook.answer(200, "{\"code\": 1}");
        assertThat(rtmp.playRefused(node, "live", "cam").code()).isEqualTo(Status.PLAY_FAILED);
        assertThat(calls.get("/live/cam.flv?token=x").statusCode()).isEqualTo(403);
        assertThat(calls.get("/live/streams/cam.m3u8").statusCode()).isEqualTo(403);

        hook.answer(200, "0");
        int before = hook.calls().size();
        TestRtmp.Playing player = rtmp.play(node, "live", "cam");
        AccessCalls.assertPlays(node.httpUrl("/live/cam.flv?token=x"));
        assertThat(Ffmpeg.decodedVideoFrames(node.httpUrl("/live/streams/cam.m3u8?token=y"), 2)).isGreaterThan(30);
        assertThat(hook.calls().subList(before, hook.calls().size()))
                .as("one call per viewer, whatever the number of playlist and segment requests")
                .extracting(c -> c.path("action").asText() + " " + c.path("protocol").asText() + " "
                        + c.path("param").asText())
                .containsExactly("on_play rtmp ", "on_play flv ?token=x", "on_play hls ?token=y");

        hook.answer(500, "");
        assertThat(calls.get("/live/cam.flv").statusCode()).isEqualTo(403);
        await().atMost(Duration.ofSeconds(5)).until(() -> player.frames().get() > 30);
    }

    @Test
    void aHookThatDoesNotAnswerRefusesAfterTheTimeout() throws Exception {
        hook.silent();

        long start = System.nanoTime();
        assertThat(rtmp.publishRefused(node, "live", "late").code()).isEqualTo(Status.STREAM_FAILED);
        assertThat(calls.get("/live/cam.flv").statusCode()).isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2),
                Duration.ofSeconds(8));
        assertThat(publisher.isAlive()).isTrue();
    }
}
