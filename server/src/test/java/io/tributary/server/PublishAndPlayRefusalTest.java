package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpStatusException;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.rtmp.command.Status;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Refused requests get a clear status and leave every other stream and client alone. */
class PublishAndPlayRefusalTest {
    private static TestNode node;
    private static ManagedProcess publisher;
    private static MultiThreadIoEventLoopGroup loops;
    private static RtmpClient client;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        node = TestNode.start();
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        client = new RtmpClient(loops, NioSocketChannel.class);
        publisher = Ffmpeg.publish(node.rtmpUrl("live", "first"), Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(15)).until(() -> status("/live/rest/v2/broadcasts/first") == 200);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        node.close();
    }

    @Test
    void aSecondFfmpegOnALiveStreamIdIsRefusedAndTheFirstKeepsStreaming() {
        try (ManagedProcess second = Ffmpeg.publish(node.rtmpUrl("live", "first"), Duration.ofSeconds(5))) {
            int exit = second.waitFor(Duration.ofSeconds(20));
            assertThat(exit).isNotZero();
            assertThat(second.stderr()).contains("already being published");
        }
        assertThat(publisher.isAlive()).isTrue();
        Ffmpeg.Probe probe = Ffmpeg.probe(node.rtmpUrl("live", "first"), 2);
        assertThat(probe.exitCode()).isZero();
        assertThat(probe.video().codec()).isEqualTo("h264");
    }

    @Test
    void aSecondPublisherSeesBadName() throws Exception {
        RtmpSession session = client.connect(RtmpUrl.parse(node.rtmpUrl("live", "")), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> session.publish("first").get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PUBLISH_BAD_NAME);
    }

    @ParameterizedTest
    @CsvSource({"bad!id", "with space", "ünïcode", "a%2Fb"})
    void anInvalidStreamIdIsRefusedForPublishingAndPlaying(String id) throws Exception {
        RtmpSession session = client.connect(RtmpUrl.parse(node.rtmpUrl("live", "")), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> session.publish(id).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .hasMessageContaining("Invalid stream id")
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PUBLISH_BAD_NAME);
        RtmpSession player = client.connect(RtmpUrl.parse(node.rtmpUrl("live", "")), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> player.play(id, f -> { }).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PLAY_FAILED);
        player.close();
    }

    @Test
    void anInvalidStreamIdOverHttpFlvIs400() throws Exception {
        assertThat(status("/live/bad!id.flv")).isEqualTo(400);
    }

    @Test
    void playingAnUnknownStreamIsStreamNotFoundOverRtmpAnd404OverHttpFlv() throws Exception {
        Ffmpeg.Probe probe = Ffmpeg.probe(node.rtmpUrl("live", "nobody"), 2);
        assertThat(probe.exitCode()).isNotZero();
        assertThat(probe.stderr()).contains("No such stream: live/nobody");
        RtmpSession session = client.connect(RtmpUrl.parse(node.rtmpUrl("live", "")), Duration.ofSeconds(5))
                .get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> session.play("nobody", f -> { }).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.PLAY_STREAM_NOT_FOUND);
        session.close();
        assertThat(status("/live/nobody.flv")).isEqualTo(404);
        assertThat(status("/other/first.flv")).as("unknown application").isEqualTo(404);
    }

    @Test
    void anUnknownApplicationIsRejectedAtConnect() {
        assertThatThrownBy(() -> client.connect(RtmpUrl.parse(node.rtmpUrl("nosuchapp", "")),
                Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS))
                .cause().isInstanceOf(RtmpStatusException.class)
                .extracting(e -> ((RtmpStatusException) e).code()).isEqualTo(Status.CONNECT_REJECTED);
    }

    @Test
    void mp3AudioIsAcceptedAndPassedThrough() {
        try (ManagedProcess mp3 = Ffmpeg.publish(node.rtmpUrl("live", "mp3"), Duration.ofSeconds(30), "libmp3lame")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> status("/live/rest/v2/broadcasts/mp3") == 200);
            for (String url : new String[] {node.rtmpUrl("live", "mp3"), node.httpUrl("/live/mp3.flv")}) {
                Ffmpeg.Probe probe = Ffmpeg.probe(url, 2);
                assertThat(probe.exitCode()).as(probe.stderr()).isZero();
                assertThat(probe.audio().codec()).isEqualTo("mp3");
                assertThat(probe.packets("audio")).hasSizeGreaterThanOrEqualTo(40);
            }
        }
    }

    static int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
