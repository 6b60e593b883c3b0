package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real encoder (ffmpeg) publishes; real players (ffprobe, ffmpeg) watch over RTMP and HTTP-FLV. */
class FfmpegPlaybackTest {
    private static TestNode node;
    private static ManagedProcess publisher;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void publish() {
        node = TestNode.start();
        publisher = Ffmpeg.publish(node.rtmpUrl("live", "demo"), Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(15)).until(() -> body("/live/rest/v2/broadcasts/demo")
                .contains("\"status\":\"broadcasting\""));
        // Wait for a full GOP in the cache so every player starts the same way.
        await().atMost(Duration.ofSeconds(10)).until(() -> body("/live/rest/v2/broadcasts/demo")
                .contains("\"width\":1280"));
    }

    @AfterAll
    static void stop() {
        publisher.close();
        node.close();
    }

    @Test
    void ffprobeSeesH264At1280x720AndAacOverRtmp() {
        assertPlayable(Ffmpeg.probe(node.rtmpUrl("live", "demo"), 3));
    }

    @Test
    void ffprobeSeesH264At1280x720AndAacOverHttpFlv() {
        assertPlayable(Ffmpeg.probe(node.httpUrl("/live/demo.flv"), 3));
    }

    @Test
    void ffmpegDecodesEveryFrameItReceivesOverRtmpAndHttpFlv() {
        assertThat(Ffmpeg.decodedVideoFrames(node.rtmpUrl("live", "demo"), 3)).isGreaterThanOrEqualTo(80);
        assertThat(Ffmpeg.decodedVideoFrames(node.httpUrl("/live/demo.flv"), 3)).isGreaterThanOrEqualTo(80);
    }

    @Test
    void theBroadcastCountsPlayersWhileTheyWatch() throws Exception {
        try (ManagedProcess rtmp = ManagedProcess.start(List.of("ffmpeg", "-v", "error", "-nostdin", "-i",
                node.rtmpUrl("live", "demo"), "-c", "copy", "-f", "null", "-"));
             ManagedProcess flv = ManagedProcess.start(List.of("ffmpeg", "-v", "error", "-nostdin", "-i",
                     node.httpUrl("/live/demo.flv"), "-c", "copy", "-f", "null", "-"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> body("/live/rest/v2/broadcasts/demo/broadcast-statistics")
                    .equals("{\"totalRTMPWatchersCount\":1,\"totalHttpFlvWatchersCount\":1,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0}"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> body("/live/rest/v2/broadcasts/demo/broadcast-statistics")
                .equals("{\"totalRTMPWatchersCount\":0,\"totalHttpFlvWatchersCount\":0,\"totalHLSWatchersCount\":0,\"totalWebRTCWatchersCount\":0,\"totalDASHWatchersCount\":0}"));
    }

    private static void assertPlayable(Ffmpeg.Probe probe) {
        assertThat(probe.exitCode()).as(probe.stderr()).isZero();
        assertThat(probe.video()).isEqualTo(new Ffmpeg.Track("video", "h264", 1280, 720));
        assertThat(probe.audio().codec()).isEqualTo("aac");
        List<Ffmpeg.Packet> video = probe.packets("video");
        assertThat(video.size()).as("video packets in 3 s at 30 fps").isGreaterThanOrEqualTo(80);
        assertThat(video.get(0).keyframe()).as("first picture is a keyframe").isTrue();
        assertThat(video.get(0).dts()).as("the player's clock starts near zero").isLessThan(0.1);
        assertMonotonic(video);
        assertMonotonic(probe.packets("audio"));
        assertThat(probe.packets("audio")).hasSizeGreaterThanOrEqualTo(100);
    }

    private static void assertMonotonic(List<Ffmpeg.Packet> packets) {
        for (int i = 1; i < packets.size(); i++) {
            assertThat(packets.get(i).dts()).as("dts of packet %d", i).isGreaterThanOrEqualTo(packets.get(i - 1).dts());
        }
    }

    static String body(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
