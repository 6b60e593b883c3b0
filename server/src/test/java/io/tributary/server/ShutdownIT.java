package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.media.amf.AmfObject;
import io.tributary.rtmp.client.PlayListener;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.rtmp.command.Status;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.NodeProcess;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM stops a running node cleanly: players are told, the broadcast is finished, the store kept. */
class ShutdownIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @Test
    void sigtermEndsPlayersWithAStatusStopsWithinTheTimeoutAndKeepsTheBroadcast() throws Exception {
        MultiThreadIoEventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        long liveMillis;
        try (NodeProcess node = NodeProcess.start(data)) {
            HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                            URI.create(node.httpUrl("/live/rest/v2/broadcasts/create")))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"streamId\":\"kept\",\"name\":\"Kept\"}"))
                    .header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).isEqualTo(200);

            try (ManagedProcess publisher = Ffmpeg.publish(node.rtmpUrl("live", "kept"), Duration.ofSeconds(60))) {
                await().atMost(Duration.ofSeconds(15)).until(() -> broadcast(node, "kept").path("status").asText()
                        .equals("broadcasting"));
                long liveFrom = System.nanoTime();

                List<String> statuses = new CopyOnWriteArrayList<>();
                AtomicInteger frames = new AtomicInteger();
                CompletableFuture<Void> playerClosed = new CompletableFuture<>();
                RtmpSession player = new RtmpClient(loops, NioSocketChannel.class)
                        .connect(RtmpUrl.parse(node.rtmpUrl("live", "")), Duration.ofSeconds(5))
                        .get(5, TimeUnit.SECONDS);
                player.play("kept", new PlayListener() {
                    @Override
                    public void onFrame(io.tributary.media.Frame frame) {
                        frames.incrementAndGet();
                    }

                    @Override
                    public void onStatus(String code, AmfObject info) {
                        statuses.add(code);
                    }

                    @Override
                    public void onClose() {
                        playerClosed.complete(null);
                    }
                }).get(5, TimeUnit.SECONDS);

                AtomicLong flvBytes = new AtomicLong();
                CompletableFuture<Boolean> flvEnded = CompletableFuture.supplyAsync(() -> readToEnd(
                        node.httpUrl("/live/kept.flv"), flvBytes));
                await().atMost(Duration.ofSeconds(10)).until(() -> frames.get() > 30 && flvBytes.get() > 100_000);

                long stopAsked = System.nanoTime();
                liveMillis = (stopAsked - liveFrom) / 1_000_000;
                node.process().terminate();
                int exit = node.process().waitFor(Duration.ofSeconds(15));
                long stopMillis = (System.nanoTime() - stopAsked) / 1_000_000;

                assertThat(exit).as("killed by SIGTERM after a clean stop").isEqualTo(143);
                assertThat(stopMillis).as("stop takes at most the 5 s shutdown timeout and JVM exit")
                        .isLessThan(8_000);
                playerClosed.get(5, TimeUnit.SECONDS);
                assertThat(statuses).containsSubsequence(Status.PLAY_START, Status.PLAY_STOP,
                        Status.CONNECT_APP_SHUTDOWN);
                assertThat(flvEnded.get(5, TimeUnit.SECONDS)).as("HTTP-FLV body ended cleanly").isTrue();
                assertThat(publisher.waitFor(Duration.ofSeconds(10))).as("the encoder was disconnected").isNotZero();
                assertThat(node.process().stdout()).contains("publish stop live/kept", "stopping", "stopped");
            }
        } finally {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }

        try (NodeProcess again = NodeProcess.start(data)) {
            JsonNode kept = broadcast(again, "kept");
            assertThat(kept.path("status").asText()).isEqualTo("finished");
            assertThat(kept.path("name").asText()).isEqualTo("Kept");
            assertThat(kept.path("duration").asLong()).as("duration of the broadcast, seen live for %d ms", liveMillis)
                    .isBetween(liveMillis - 100, liveMillis + 3000);
        }
    }

    private static JsonNode broadcast(NodeProcess node, String id) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(
                node.httpUrl("/live/rest/v2/broadcasts/" + id))).build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    /** Reads an HTTP body to its end; true if it ended normally (not with a reset). */
    private static boolean readToEnd(String url, AtomicLong bytes) {
        try (InputStream in = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) >= 0) {
                bytes.addAndGet(n);
            }
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
