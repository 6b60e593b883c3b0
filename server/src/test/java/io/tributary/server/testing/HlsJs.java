package io.tributary.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * hls.js in headless Chromium: web/test/hls-player.mjs (playwright-core driving Debian's chromium, packages
 * from web/ installed by {@code npm ci}) plays a playlist and reports what a viewer would see.
 */
public final class HlsJs {
    public static final Path WEB = Repository.root().resolve("web");

    private HlsJs() {
    }

    /** Fails with the command to run when web/node_modules is missing. */
    public static void requireInstalled() {
        assertThat(WEB.resolve("node_modules/playwright-core")).as("web/node_modules is missing: run `npm ci` in "
                + "web/ (./tributary test does)").isDirectory();
    }

    /**
     * Plays {@code playlistUrl} for {@code seconds} ({@code mode} llhls turns on hls.js's low-latency mode),
     * saves a screenshot to {@code png} and checks it shows a picture; returns the script's report.
     */
    public static JsonNode play(String playlistUrl, String mode, Path png, int seconds) throws Exception {
        requireInstalled();
        try (ManagedProcess p = ManagedProcess.start(List.of("node", WEB.resolve("test/hls-player.mjs").toString(),
                playlistUrl, mode, png.toString(), String.valueOf(seconds)))) {
            int code = p.waitFor(Duration.ofSeconds(60L + seconds));
            assertThat(code).as("hls-player.mjs: " + p.stderr()).isZero();
            JsonNode r = new ObjectMapper().readTree(p.stdout());
            assertThat(r.has("failure")).as(r.toPrettyString()).isFalse();
            assertPicture(png);
            return r;
        }
    }

    /** hls.js played without a fatal error at {@code width}x{@code height}, its clock keeping to the wall clock. */
    public static void assertPlaying(JsonNode r, int width, int height) {
        assertThat(r.path("errors").toString()).as("hls.js errors").doesNotContain("fatal");
        assertThat(r.path("end").path("width").asInt()).isEqualTo(width);
        assertThat(r.path("end").path("height").asInt()).isEqualTo(height);
        assertThat(r.path("end").path("paused").asBoolean()).isFalse();
        double wall = r.path("wallSeconds").asDouble();
        assertThat(r.path("played").asDouble()).as("media time played in " + wall + " s of wall time: " + r)
                .isBetween(0.8 * wall, 1.2 * wall);
    }

    /**
     * Whether hls.js aborted one of its own LL-HLS part loads and then stalled (seen about once in ten runs on
     * a 2-core machine, not yet traced to the node): a test may play once more.
     */
    public static boolean stalledAfterAnAbortedPart(JsonNode r) {
        return r.path("errors").toString().contains("networkError aborted")
                && r.path("played").asDouble() < 0.8 * r.path("wallSeconds").asDouble();
    }

    /** The URLs (path and query) the page fetched from the stream's origin, in order. */
    public static List<String> requests(JsonNode r) {
        List<String> out = new ArrayList<>();
        r.path("requests").forEach(u -> out.add(u.asText()));
        return out;
    }

    /** Sorted values of one of the report's series (e.g. behindLive, latencies). */
    public static List<Double> series(JsonNode r, String name) {
        List<Double> out = new ArrayList<>();
        r.path(name).forEach(v -> out.add(v.asDouble()));
        out.sort(Double::compare);
        return out;
    }

    /** The screenshot shows testsrc2's picture: many colours, not a black or frozen-grey box. */
    private static void assertPicture(Path png) throws Exception {
        assertThat(png).isRegularFile();
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(640);
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 8) {
            for (int x = 0; x < image.getWidth(); x += 8) {
                colours.add(image.getRGB(x, y) & 0xF0F0F0);
            }
        }
        assertThat(colours.size()).as("distinct colours on screen in " + png).isGreaterThan(20);
    }
}
