package io.tributary.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.media.StreamPath;
import io.tributary.server.testing.Cleanup;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a scrape says about streams while ffmpeg publishes and real players watch: publishers, players and
 * viewers by protocol, connections, ingest bit rate, traffic, frames dropped for a player that stops
 * reading, and the stream's series gone once it ends.
 */
class StreamMetersTest {
    private static final int VIDEO_KBPS = 1_000;
    /** What ffmpeg sends: the constant video rate plus 64 kbit/s of AAC. */
    private static final double PUBLISHED_BPS = (VIDEO_KBPS + 64) * 1_000.0;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestNode node;
    @AutoClose
    private final Cleanup cleanup = new Cleanup();

    @BeforeAll
    static void start() {
        node = TestNode.builder().set("nodeId", "streams-1").set("stream.republishGrace", "1s")
                .set("hls.segmentDuration", "1s").set("hls.idleTimeout", "3s")
                // A player skips after 1 s behind, and is never disconnected for it: a busy machine must not
                // take the viewers the first test counts away.
                .set("player.maxLag", "1s").set("player.maxDrops", "1000").start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aScrapeShowsThePublisherItsPlayersAndTheTrafficThenForgetsTheStreamWhenItEnds() {
        ManagedProcess publisher = publish("show", VIDEO_KBPS);
        for (String url : List.of(node.httpUrl("/live/show.flv"), node.httpUrl("/live/show.flv"),
                node.rtmpUrl("live", "show"), node.httpUrl("/live/streams/show.m3u8"))) {
            cleanup.add(Ffmpeg.play(url));
        }

        await().atMost(WAIT).untilAsserted(() -> {
            Scrape s = Scrape.of(node);
            assertThat(s.value("tributary_publishers")).isEqualTo(1);
            assertThat(s.value("tributary_streams")).isEqualTo(1);
            assertThat(viewers(s, "show", "http_flv")).isEqualTo(2);
            assertThat(viewers(s, "show", "rtmp")).isEqualTo(1);
            assertThat(viewers(s, "show", "hls")).isEqualTo(1);
            assertThat(viewers(s, "show", "dash")).isZero();
            assertThat(s.value("tributary_players", "protocol", "http_flv")).isEqualTo(2);
            assertThat(s.value("tributary_players", "protocol", "rtmp")).isEqualTo(1);
            assertThat(s.value("tributary_players", "protocol", "hls")).isEqualTo(1);
            assertThat(s.value("tributary_connections", "protocol", "rtmp")).as("ffmpeg publishing, ffmpeg playing")
                    .isEqualTo(2);
            assertThat(s.value("tributary_connections", "protocol", "http_flv")).isEqualTo(2);
            assertThat(s.value("tributary_connections", "protocol", "hls")).isGreaterThanOrEqualTo(1);
            assertThat(s.value("tributary_stream_ingest_bits_per_second", "stream", "show"))
                    .isBetween(0.8 * PUBLISHED_BPS, 1.25 * PUBLISHED_BPS);
        });

        // Over a few seconds the bytes received add up to about the rate ffmpeg publishes at, and every
        // player's copy goes out.
        Scrape first = Scrape.of(node);
        long from = System.nanoTime();
        await().atMost(WAIT).until(() -> System.nanoTime() - from >= Duration.ofSeconds(4).toNanos());
        Scrape second = Scrape.of(node);
        double seconds = (System.nanoTime() - from) / 1e9;
        double ingressBps = (second.value("tributary_ingress_bytes_total")
                - first.value("tributary_ingress_bytes_total")) * 8 / seconds;
        double egressBps = (second.value("tributary_egress_bytes_total")
                - first.value("tributary_egress_bytes_total")) * 8 / seconds;
        assertThat(ingressBps).isBetween(0.5 * PUBLISHED_BPS, 2.0 * PUBLISHED_BPS);
        assertThat(egressBps).as("three players get every frame, HLS gets segments")
                .isGreaterThan(2.0 * ingressBps);
        // The stream has its dropped-frames series; with player.maxLag at 1 s here, a busy machine can make
        // even these players skip, so its value is checked with a player that stops reading (below).
        assertThat(second.all("tributary_stream_dropped_frames_total", "stream", "show")).hasSize(1);

        publisher.close();
        await().atMost(WAIT).untilAsserted(() -> {
            Scrape s = Scrape.of(node);
            assertThat(s.anyLabelled("stream", "show")).as("series of the ended stream").isFalse();
            assertThat(s.value("tributary_publishers")).isZero();
            assertThat(s.value("tributary_streams")).isZero();
            assertThat(s.value("tributary_players", "protocol", "http_flv")).isZero();
        });
    }

    @Test
    void framesAPlayerMissesByNotReadingAreCountedAsDroppedForSlowPlayers() throws Exception {
        publish("stall", 4 * VIDEO_KBPS); // a high rate fills the stalled player's socket buffers sooner
        // A player whose socket takes almost nothing and who never reads: the node's buffers for it fill,
        // it falls more than player.maxLag (1 s) behind and skips to the next keyframe.
        Socket stalled = cleanup.add(new Socket());
        stalled.setReceiveBufferSize(4096);
        stalled.connect(new InetSocketAddress("127.0.0.1", node.node().httpPort()), 5_000);
        OutputStream out = stalled.getOutputStream();
        out.write("GET /live/stall.flv HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();

        await().atMost(WAIT).untilAsserted(() -> assertThat(
                Scrape.of(node).value("tributary_stream_dropped_frames_total", "stream", "stall")).isPositive());
        double scraped = Scrape.of(node).value("tributary_stream_dropped_frames_total", "stream", "stall");
        assertThat(node.node().streams().find(new StreamPath("live", "stall")).orElseThrow()
                .droppedFramesForSlowPlayers()).as("the stream's own count, read after the scrape")
                .isGreaterThanOrEqualTo((long) scraped);
    }

    private ManagedProcess publish(String id, int videoKbps) {
        ManagedProcess p = Ffmpeg.publishConstantBitrate(node.rtmpUrl("live", id), Duration.ofSeconds(60), videoKbps);
        cleanup.add(p);
        await().atMost(WAIT).until(() -> node.node().streams().find(new StreamPath("live", id))
                .map(s -> s.info().width() > 0).orElse(false));
        return p;
    }

    private static double viewers(Scrape s, String stream, String protocol) {
        return s.value("tributary_stream_viewers", "app", "live", "stream", stream, "protocol", protocol);
    }
}
