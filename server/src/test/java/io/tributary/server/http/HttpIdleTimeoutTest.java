package io.tributary.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A connection that asks for nothing is closed; a player that watches is not. */
class HttpIdleTimeoutTest {

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeoutWhileAnFlvPlayerKeepsStreaming() throws Exception {
        try (TestNode node = TestNode.builder().set("http.idleTimeout", "700ms").start();
             ManagedProcess publisher = Ffmpeg.publish(node.rtmpUrl("live", "idle"), Duration.ofSeconds(30))) {
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(15)).until(() -> http.send(HttpRequest.newBuilder(
                    URI.create(node.httpUrl("/live/rest/v2/broadcasts/idle"))).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200);

            AtomicLong flvBytes = new AtomicLong();
            Thread reader = new Thread(() -> {
                try (InputStream in = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl("/live/idle.flv")))
                        .build(), HttpResponse.BodyHandlers.ofInputStream()).body()) {
                    byte[] buf = new byte[65536];
                    int n;
                    while ((n = in.read(buf)) >= 0) {
                        flvBytes.addAndGet(n);
                    }
                } catch (Exception ignored) {
                    // The test ends the stream; how the body ends is not what this test is about.
                }
            });
            reader.setDaemon(true);
            reader.start();

            try (Socket silent = new Socket("127.0.0.1", node.node().httpPort())) {
                silent.setSoTimeout(10_000);
                long start = System.nanoTime();
                int read;
                try {
                    read = silent.getInputStream().read();
                } catch (SocketTimeoutException e) {
                    read = -2;
                }
                long waited = (System.nanoTime() - start) / 1_000_000;
                assertThat(read).as("the server closed the silent connection").isEqualTo(-1);
                assertThat(waited).isBetween(500L, 5_000L);
            }
            long seen = flvBytes.get();
            await().atMost(Duration.ofSeconds(5)).until(() -> flvBytes.get() > seen + 50_000);
            assertThat(node.node().streams().find(new io.tributary.media.StreamPath("live", "idle")).orElseThrow()
                    .viewers("flv")).isEqualTo(1);
        }
    }
}
