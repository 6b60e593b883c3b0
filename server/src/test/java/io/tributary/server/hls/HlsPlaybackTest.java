package io.tributary.server.hls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real encoder (ffmpeg, one encode sent to three applications) and the node's HLS in each format:
 * application {@code ts} serves MPEG-TS, {@code fmp4} fMP4 and DASH, {@code llhls} Low-Latency HLS. Real
 * players (ffprobe, ffmpeg) read the playlists over HTTP; the playlists and segments are checked against
 * RFC 8216 and its LL-HLS rules.
 */
class HlsPlaybackTest {
    private static final Pattern EXTINF = Pattern.compile("#EXTINF:([0-9.]+),\\n([^\\n]+)");
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:DURATION=([0-9.]+),URI=\"([^\"]+)\"");
    private static TestNode node;
    private static ManagedProcess publisher;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path dir;

    @BeforeAll
    static void publish() throws Exception {
        node = TestNode.builder().set("apps", "ts,fmp4,llhls").set("hls.segmentDuration", "1s")
                .set("hls.partDuration", "200ms").set("hls.idleTimeout", "3s").start();
        assertThat(post("/rest/v2/applications/settings/fmp4", "{\"hlsMode\":\"fmp4\"}").statusCode()).isEqualTo(200);
        assertThat(post("/rest/v2/applications/settings/llhls", "{\"hlsMode\":\"llhls\"}").statusCode()).isEqualTo(200);
        publisher = Ffmpeg.publishToAll(Duration.ofSeconds(120), node.rtmpUrl("ts", "cam"),
                node.rtmpUrl("fmp4", "cam"), node.rtmpUrl("llhls", "cam"));
        for (String app : List.of("ts", "fmp4", "llhls")) {
            await().atMost(Duration.ofSeconds(15)).until(() -> get("/" + app + "/rest/v2/broadcasts/cam").body()
                    .contains("\"width\":640"));
        }
    }

    @AfterAll
    static void stop() {
        publisher.close();
        node.close();
    }

    @Test
    void ffmpegPlaysEveryFormatOverHttp() {
        for (String url : List.of("/ts/streams/cam.m3u8", "/fmp4/streams/cam.m3u8", "/llhls/streams/cam.m3u8",
                "/fmp4/streams/cam/manifest.mpd")) {
            Ffmpeg.Probe probe = Ffmpeg.probe(node.httpUrl(url), 3);
            assertThat(probe.exitCode()).as(url + ": " + probe.stderr()).isZero();
            assertThat(probe.video()).as(url).isEqualTo(new Ffmpeg.Track("video", "h264", 640, 360));
            assertThat(probe.audio().codec()).as(url).isEqualTo("aac");
            assertThat(probe.packets("video").size()).as(url + ": video packets in 3 s").isGreaterThanOrEqualTo(60);
            assertThat(Ffmpeg.decodedVideoFrames(node.httpUrl(url), 2)).as(url).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void tsPlaylistFollowsRfc8216AndSegmentsStartOnKeyframesWithUnbrokenContinuity() throws Exception {
        String playlist = awaitSegments("/ts/streams/cam.m3u8", 3);
        assertThat(playlist).startsWith("#EXTM3U\n").contains("#EXT-X-VERSION:3").doesNotContain("#EXT-X-ENDLIST");
        long target = intTag(playlist, "#EXT-X-TARGETDURATION:");
        long sequence = intTag(playlist, "#EXT-X-MEDIA-SEQUENCE:");
        Matcher m = EXTINF.matcher(playlist);
        Map<Integer, Integer> continuity = new HashMap<>();
        int segments = 0;
        while (m.find()) {
            assertThat(Math.round(Double.parseDouble(m.group(1)))).as("EXTINF rounds to at most the target duration")
                    .isLessThanOrEqualTo(target);
            assertThat(m.group(2)).isEqualTo("cam/" + (sequence + segments) + ".ts");
            HttpResponse<byte[]> seg = getBytes("/ts/streams/" + m.group(2));
            assertThat(seg.statusCode()).isEqualTo(200);
            assertThat(seg.headers().firstValue("content-type")).hasValue("video/mp2t");
            assertThat(seg.body().length % 188).isZero();
            assertContinuity(seg.body(), continuity, m.group(2));
            Path file = dir.resolve(segments + ".ts");
            Files.write(file, seg.body());
            assertStartsWithKeyframe(file.toString());
            segments++;
        }
        assertThat(segments).isGreaterThanOrEqualTo(3);
    }

    @Test
    void fmp4SegmentsAreFragmentsOfTheirInitializationSegment() throws Exception {
        String playlist = awaitSegments("/fmp4/streams/cam.m3u8", 2);
        assertThat(playlist).contains("#EXT-X-VERSION:7");
        Matcher map = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"").matcher(playlist);
        assertThat(map.find()).isTrue();
        byte[] init = getBytes("/fmp4/streams/" + map.group(1)).body();
        assertThat(box(init, 4)).isEqualTo("ftyp");
        Matcher m = EXTINF.matcher(playlist);
        int checked = 0;
        while (m.find() && checked < 2) {
            HttpResponse<byte[]> seg = getBytes("/fmp4/streams/" + m.group(2));
            assertThat(seg.headers().firstValue("content-type")).hasValue("video/iso.segment");
            Path file = dir.resolve(checked + ".mp4");
            Files.write(file, concat(init, seg.body()));
            assertStartsWithKeyframe(file.toString());
            checked++;
        }
        assertThat(checked).isEqualTo(2);
    }

    @Test
    void llHlsPartsStayWithinPartTargetAndBlockingReloadWaitsForTheNextPart() throws Exception {
        String playlist = awaitSegments("/llhls/streams/cam.m3u8", 2);
        assertThat(playlist).contains("#EXT-X-VERSION:9", "CAN-BLOCK-RELOAD=YES", "#EXT-X-PRELOAD-HINT:TYPE=PART");
        double partTarget = Double.parseDouble(tag(playlist, "#EXT-X-PART-INF:PART-TARGET="));
        assertThat(partTarget).isBetween(0.2, 0.21);
        Matcher parts = PART.matcher(playlist);
        int count = 0;
        while (parts.find()) {
            assertThat(Double.parseDouble(parts.group(1))).as(parts.group(2)).isLessThanOrEqualTo(partTarget);
            count++;
        }
        assertThat(count).as("parts listed near the live edge").isGreaterThanOrEqualTo(5);

        // Ask for a part that does not exist yet: the answer waits for it.
        long next = intTag(playlist, "#EXT-X-MEDIA-SEQUENCE:") + countMatches(playlist, "#EXTINF:");
        long started = System.nanoTime();
        HttpResponse<String> blocked = get("/llhls/streams/cam.m3u8?_HLS_msn=" + next + "&_HLS_part=2");
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(blocked.statusCode()).isEqualTo(200);
        assertThat(blocked.body()).contains("cam/" + next + ".2.m4s");
        assertThat(waitedMs).as("a blocking reload answers when its part is out, not at a timeout").isLessThan(3000);

        // The preload hint names the next part; fetching it waits until it is complete.
        Matcher hint = Pattern.compile("#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"([^\"]+)\"").matcher(blocked.body());
        assertThat(hint.find()).isTrue();
        HttpResponse<byte[]> part = getBytes("/llhls/streams/" + hint.group(1));
        assertThat(part.statusCode()).isEqualTo(200);
        assertThat(box(part.body(), 4)).isIn("moof", "styp");

        // A media sequence number far past the live edge is a client error (RFC 8216bis 6.2.5.2).
        assertThat(get("/llhls/streams/cam.m3u8?_HLS_msn=" + (next + 100)).statusCode()).isEqualTo(400);
    }

    @Test
    void dashManifestListsOneAdaptationSetPerTrack() throws Exception {
        awaitSegments("/fmp4/streams/cam.m3u8", 2);
        HttpResponse<String> mpd = get("/fmp4/streams/cam/manifest.mpd");
        assertThat(mpd.statusCode()).isEqualTo(200);
        assertThat(mpd.headers().firstValue("content-type")).hasValue("application/dash+xml");
        assertThat(mpd.body()).contains("type=\"dynamic\"", "contentType=\"video\"", "contentType=\"audio\"",
                "codecs=\"avc1.", "codecs=\"mp4a.40.2\"", "width=\"640\" height=\"360\"");
        assertThat(get("/ts/streams/cam/manifest.mpd").statusCode()).as("DASH needs fMP4 segments").isEqualTo(404);
    }

    @Test
    void badRequestsGetClearStatusesAndTheStreamCarriesOn() throws Exception {
        String playlist = awaitSegments("/ts/streams/cam.m3u8", 2);
        long first = intTag(playlist, "#EXT-X-MEDIA-SEQUENCE:");
        assertThat(getBytes("/ts/streams/cam/" + (first + 1000) + ".ts").statusCode()).isEqualTo(404);
        if (first > 0) {
            assertThat(getBytes("/ts/streams/cam/0.ts").statusCode()).as("rolled out of the window").isEqualTo(404);
        }
        assertThat(get("/ts/streams/nobody.m3u8").statusCode()).isEqualTo(404);
        assertThat(get("/nowhere/streams/cam.m3u8").statusCode()).isEqualTo(404);
        assertThat(get("/ts/streams/cam/..%2F..%2F..%2Fetc%2Fpasswd").statusCode()).isEqualTo(404);
        assertThat(get("/ts/streams/..%2Fcam.m3u8").statusCode()).isIn(400, 404);
        assertThat(get("/ts/streams/cam.m3u8").statusCode()).isEqualTo(200);
    }

    @Test
    void hlsPlayersAreCountedWhileTheyWatch() {
        // Other tests' clients stop counting once they have not asked for hls.idleTimeout (3 s here).
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/ts/rest/v2/broadcasts/cam/broadcast-statistics")
                .body().contains("\"totalHLSWatchersCount\":0,"));
        try (ManagedProcess player = ManagedProcess.start(List.of("ffmpeg", "-v", "error", "-nostdin", "-i",
                node.httpUrl("/ts/streams/cam.m3u8"), "-c", "copy", "-f", "null", "-"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> get("/ts/rest/v2/broadcasts/cam/broadcast-statistics")
                    .body().contains("\"totalHLSWatchersCount\":1,"));
            assertThat(player.isAlive()).isTrue();
        }
        // A player that stops asking stops counting once hls.idleTimeout (3 s here) has passed.
        await().atMost(Duration.ofSeconds(15)).until(() -> get("/ts/rest/v2/broadcasts/cam/broadcast-statistics")
                .body().contains("\"totalHLSWatchersCount\":0,"));
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** The playlist once it lists at least {@code n} segments. */
    private static String awaitSegments(String path, int n) {
        String[] body = new String[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> r = get(path);
            body[0] = r.body();
            return r.statusCode() == 200 && countMatches(r.body(), "#EXTINF:") >= n;
        });
        return body[0];
    }

    /** Continuity counters of every PID carrying payload go up by one per packet, across segments too. */
    private static void assertContinuity(byte[] ts, Map<Integer, Integer> last, String name) {
        for (int off = 0; off < ts.length; off += 188) {
            assertThat(ts[off]).as(name + " sync byte at " + off).isEqualTo((byte) 0x47);
            int pid = (ts[off + 1] & 0x1F) << 8 | ts[off + 2] & 0xFF;
            int afc = (ts[off + 3] >> 4) & 3;
            int cc = ts[off + 3] & 0x0F;
            if (pid == 0x1FFF || (afc & 1) == 0) {
                continue;
            }
            Integer previous = last.put(pid, cc);
            if (previous != null) {
                assertThat(cc).as(name + ": continuity of PID " + pid + " at byte " + off)
                        .isEqualTo((previous + 1) & 0x0F);
            }
        }
    }

    private static void assertStartsWithKeyframe(String file) {
        try (ManagedProcess p = ManagedProcess.start(List.of("ffprobe", "-v", "error", "-select_streams", "v",
                "-show_entries", "packet=flags", "-read_intervals", "%+#1", "-of", "csv=p=0", file))) {
            assertThat(p.waitFor(Duration.ofSeconds(20))).as(p.stderr()).isZero();
            assertThat(p.stdout().lines().findFirst()).as(file + ": first video packet").hasValueSatisfying(
                    flags -> assertThat(flags).startsWith("K"));
        }
    }

    private static String box(byte[] data, int offset) {
        return new String(data, offset, 4, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String tag(String playlist, String prefix) {
        return playlist.lines().filter(l -> l.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + prefix + " in\n" + playlist))
                .substring(prefix.length()).split(",")[0];
    }

    private static long intTag(String playlist, String prefix) {
        return Long.parseLong(tag(playlist, prefix));
    }

    private static int countMatches(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).timeout(Duration.ofSeconds(15))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<byte[]> getBytes(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).timeout(Duration.ofSeconds(15))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
