package io.tributary.server.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hls.js, the player most web pages use, in headless Chromium (Debian's, driven by playwright-core from
 * web/): it must play the node's TS HLS and its Low-Latency HLS, with the picture on screen, the clock
 * advancing in real time, and LL-HLS using blocking reloads and parts to stay within 2 s of live.
 */
class HlsBrowserTest {
    private static final Path WEB = repositoryRoot().resolve("web");
    private static TestNode node;
    private static ManagedProcess publisher;

    @TempDir
    Path dir;

    @BeforeAll
    static void publish() throws Exception {
        assertThat(WEB.resolve("node_modules/playwright-core")).as("web/node_modules is missing: run `npm ci` in "
                + "web/ (./tributary test does)").isDirectory();
        node = TestNode.builder().set("apps", "ts,llhls").set("hls.segmentDuration", "1s")
                .set("hls.partDuration", "200ms").start();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> set = http.send(HttpRequest.newBuilder(URI.create(
                node.httpUrl("/rest/v2/applications/settings/llhls"))).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"hlsMode\":\"llhls\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        publisher = Ffmpeg.publishToAll(Duration.ofSeconds(120), node.rtmpUrl("ts", "cam"),
                node.rtmpUrl("llhls", "cam"));
        for (String app : List.of("ts", "llhls")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> http.send(HttpRequest.newBuilder(URI.create(
                    node.httpUrl("/" + app + "/rest/v2/broadcasts/cam"))).build(), HttpResponse.BodyHandlers.ofString())
                    .body().contains("\"width\":640"));
        }
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        if (node != null) {
            node.close();
        }
    }

    @Test
    void hlsJsPlaysMpegTsHls() throws Exception {
        JsonNode r = play("/ts/streams/cam.m3u8", "ts");
        assertPlaying(r);
        assertThat(requests(r)).anyMatch(u -> u.matches("/ts/streams/cam/\\d+\\.ts"));
    }

    @Test
    void hlsJsPlaysLowLatencyHlsWithinTwoSecondsOfLive() throws Exception {
        JsonNode r = play("/llhls/streams/cam.m3u8", "llhls");
        assertPlaying(r);
        List<String> requests = requests(r);
        assertThat(requests).as("blocking playlist reloads").anyMatch(u -> u.contains("_HLS_msn=")
                && u.contains("_HLS_part="));
        assertThat(requests).as("parts").anyMatch(u -> u.matches("/llhls/streams/cam/\\d+\\.\\d+\\.m4s"));
        // How far the picture on screen is behind the node's clock: hls.js's playingDate (from
        // EXT-X-PROGRAM-DATE-TIME, when the node received the frame) against the wall clock, same machine.
        List<Double> behind = new ArrayList<>();
        r.path("behindLive").forEach(l -> behind.add(l.asDouble()));
        behind.sort(Double::compare);
        assertThat(behind).hasSizeGreaterThan(10);
        double median = behind.get(behind.size() / 2);
        assertThat(median).as("seconds behind live, median of " + behind + " (hls.js's own estimate: "
                + r.path("latencies") + ")").isBetween(0.1, 2.0);
    }

    private JsonNode play(String playlist, String mode) throws Exception {
        Path png = dir.resolve(mode + ".png");
        try (ManagedProcess p = ManagedProcess.start(List.of("node", WEB.resolve("test/hls-player.mjs").toString(),
                node.httpUrl(playlist), mode, png.toString(), "6"))) {
            int code = p.waitFor(Duration.ofSeconds(90));
            assertThat(code).as("hls-player.mjs: " + p.stderr()).isZero();
            JsonNode r = new ObjectMapper().readTree(p.stdout());
            assertThat(r.has("failure")).as(r.toPrettyString()).isFalse();
            assertThat(png).isRegularFile();
            assertPicture(png);
            return r;
        }
    }

    private static void assertPlaying(JsonNode r) {
        assertThat(r.path("errors").toString()).as("hls.js errors").doesNotContain("fatal");
        assertThat(r.path("end").path("width").asInt()).isEqualTo(640);
        assertThat(r.path("end").path("height").asInt()).isEqualTo(360);
        assertThat(r.path("end").path("paused").asBoolean()).isFalse();
        double wall = r.path("wallSeconds").asDouble();
        assertThat(r.path("played").asDouble()).as("media time played in " + wall + " s of wall time: " + r)
                .isBetween(0.8 * wall, 1.2 * wall);
    }

    /** The screenshot shows testsrc2's picture: many colours, not a black or frozen-grey box. */
    private static void assertPicture(Path png) throws Exception {
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(640);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 8) {
            for (int x = 0; x < image.getWidth(); x += 8) {
                colours.add(image.getRGB(x, y) & 0xF0F0F0);
            }
        }
        assertThat(colours.size()).as("distinct colours on screen").isGreaterThan(20);
    }

    private static List<String> requests(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.path("requests").forEach(u -> out.add(u.asText()));
        return out;
    }

    private static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("web/package.json"))) {
            here = here.getParent();
        }
        if (here == null) {
            throw new IllegalStateException("no web/package.json above " + Path.of("").toAbsolutePath());
        }
        return here;
    }
}
