package io.tributary.server.access;

import static io.tributary.server.access.AccessCalls.assertPlays;
import static io.tributary.server.access.AccessCalls.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.media.StreamPath;
import io.tributary.rtmp.client.RtmpStatusException;
import io.tributary.rtmp.command.Status;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.HlsJs;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Stream access control on one node, as publishers and players meet it: application {@code jwt} wants JWT
 * stream tokens, {@code once} one-time tokens (and serves LL-HLS), {@code live} is open. Every wrong token is
 * refused over RTMP, HTTP-FLV and HLS with the status that says why; right ones play; and no refusal
 * disturbs the streams that are running.
 */
class StreamAccessTest {
    static final String KEY = "stream-access-test-key-0123456789abcdef";
    private static final String OTHER_KEY = "not-the-application-key-0123456789abcdef";
    private static final Pattern SEGMENT = Pattern.compile("(?m)^(cam/\\d+\\.(?:ts|m4s))(\\?.*)?$");

    private static TestNode node;
    private static AccessCalls calls;
    private static ManagedProcess publisher;
    private static final HttpClient http = HttpClient.newHttpClient();
    private final TestRtmp rtmp = new TestRtmp();

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        node = TestNode.builder().set("apps", "live,jwt,once").set("hls.segmentDuration", "1s")
                .set("hls.partDuration", "200ms").start();
        calls = new AccessCalls(node);
        calls.settings("jwt", "{\"publishJwtControlEnabled\": true, \"playJwtControlEnabled\": true, "
                + "\"jwtStreamSecretKey\": \"" + KEY + "\", \"hlsMode\": \"fmp4\"}");
        calls.settings("once", "{\"publishTokenControlEnabled\": true, \"playTokenControlEnabled\": true, "
                + "\"hlsMode\": \"llhls\"}");
        publisher = Ffmpeg.publishToAll(Duration.ofSeconds(300),
                node.rtmpUrl("jwt", "cam?token=" + jwt("cam", "publish", KEY)),
                node.rtmpUrl("once", "cam?token=" + oneTime("once", "cam", "publish")),
                node.rtmpUrl("live", "open"));
        for (String path : List.of("jwt/cam", "once/cam", "live/open")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> node.node().streams()
                    .find(StreamPath.parse(path)).map(s -> s.info().width() > 0).orElse(false));
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

    @AfterEach
    void closeClients() {
        rtmp.close();
    }

    // --- refusals -----------------------------------------------------------------------------------

    /** Every way a token can be wrong, for a {@code type} of {@code app/stream}, with what the refusal says. */
    static Stream<Arguments> wrongTokens(String type) {
        String other = type.equals("play") ? "publish" : "play";
        String stream = type.equals("play") ? "cam" : "cam2";
        return Stream.of(
                Arguments.of("jwt", stream, "", 401, "you need a " + type + " token"),
                Arguments.of("jwt", stream, jwt("other", type, KEY), 403, "it is for stream 'other'"),
                Arguments.of("jwt", stream, jwt(stream, other, KEY), 403, "not a '" + type + "' token"),
                Arguments.of("jwt", stream, JwtStreamTokens.issue(KEY, stream, type, now() - 1), 403, "it expired"),
                Arguments.of("jwt", stream, jwt(stream, type, OTHER_KEY), 403, "signature does not match"),
                Arguments.of("once", stream, "", 401, "you need a " + type + " token"),
                Arguments.of("once", stream, oneTime("once", "other", type), 403, "it is for stream 'once/other'"),
                Arguments.of("once", stream, oneTime("once", stream, other), 403, "not a '" + type + "' token"),
                Arguments.of("once", stream, oneTime("live", stream, type), 403, "it is for stream 'live/"),
                Arguments.of("once", stream, "never-issued-token", 403, "unknown, used up or expired"));
    }

    static Stream<Arguments> wrongPublishTokens() {
        return wrongTokens("publish");
    }

    static Stream<Arguments> wrongPlayTokens() {
        return wrongTokens("play");
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("wrongPublishTokens")
    void anRtmpPublishWithoutAValidPublishTokenIsUnauthorized(String app, String stream, String token, int status,
                                                             String why) {
        RtmpStatusException refused = rtmp.publishRefused(node, app, stream + query(token));

        assertThat(refused.code()).isEqualTo(Status.PUBLISH_UNAUTHORIZED);
        assertThat(refused.getMessage()).contains(why).doesNotContain(KEY);
        assertThat(node.node().streams().find(new StreamPath(app, stream))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("wrongPlayTokens")
    void anRtmpPlayWithoutAValidPlayTokenFails(String app, String stream, String token, int status, String why) {
        RtmpStatusException refused = rtmp.playRefused(node, app, stream + query(token));

        assertThat(refused.code()).isEqualTo(Status.PLAY_FAILED);
        assertThat(refused.getMessage()).contains(why).doesNotContain(KEY);
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("wrongPlayTokens")
    void anHttpFlvPlayWithoutAValidPlayTokenIs401Or403(String app, String stream, String token, int status,
                                                      String why) throws Exception {
        HttpResponse<String> refused = get("/" + app + "/" + stream + ".flv" + query(token));

        assertThat(refused.statusCode()).isEqualTo(status);
        assertThat(refused.body()).contains(why);
    }

    @ParameterizedTest(name = "{0} {4}")
    @MethodSource("wrongPlayTokens")
    void anHlsPlaylistWithoutAValidPlayTokenIs401Or403(String app, String stream, String token, int status,
                                                      String why) throws Exception {
        HttpResponse<String> refused = get("/" + app + "/streams/" + stream + ".m3u8" + query(token));

        assertThat(refused.statusCode()).isEqualTo(status);
        assertThat(refused.body()).contains(why);
    }

    @Test
    void aUsedOneTimeTokenIsRefusedEverywhere() throws Exception {
        String publish = oneTime("once", "used", "publish");
        var first = rtmp.connect(node, "once");
        TestRtmp.await(first.publish("used?token=" + publish));
        first.close();
        // Once the node has seen the publisher go, the same token cannot publish again.
        await().atMost(Duration.ofSeconds(10)).until(() -> node.node().streams().find(new StreamPath("once", "used"))
                .map(s -> s.publisher() == null).orElse(true));
        assertThat(rtmp.publishRefused(node, "once", "used?token=" + publish).getMessage()).contains("used up");

        String play = oneTime("once", "cam", "play");
        assertThat(get("/once/cam.flv?token=" + play, 200)).isEqualTo(200);
        assertThat(rtmp.playRefused(node, "once", "cam?token=" + play).getMessage()).contains("used up");
        assertThat(get("/once/cam.flv?token=" + play).statusCode()).isEqualTo(403);
        assertThat(get("/once/streams/cam.m3u8?token=" + play).statusCode()).isEqualTo(403);
    }

    @Test
    void anExpiredOneTimeTokenIsRefused() throws Exception {
        long expiry = now() + 1;
        String token = calls.oneTime("once", "cam", "play", expiry);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expiry * 1000);

        assertThat(get("/once/cam.flv?token=" + token).statusCode()).isEqualTo(403);
    }

    @Test
    void hlsMediaNeedsTheSessionItsPlaylistGave() throws Exception {
        HttpResponse<String> playlist = get(sessionUrl("/jwt/streams/cam.m3u8?token=" + jwt("cam", "play", KEY)));
        Matcher m = SEGMENT.matcher(playlist.body());
        assertThat(m.find()).as(playlist.body()).isTrue();
        String segment = "/jwt/streams/" + m.group(1);

        assertThat(get(segment + m.group(2), 200)).isEqualTo(200);
        assertThat(get(segment).statusCode()).isEqualTo(401);
        assertThat(get(segment + "?token=" + jwt("cam", "play", KEY)).statusCode()).as("tokens open playlists only")
                .isEqualTo(401);
        assertThat(get(segment + "?hlsSession=99999999999.forged").statusCode()).isEqualTo(403);
        String jwtCamSession = get(sessionUrl("/jwt/streams/cam.m3u8?token=" + jwt("cam", "play", KEY))).uri()
                .getQuery().replace("hlsSession=", "");
        assertThat(get("/once/streams/cam.m3u8?hlsSession=" + jwtCamSession).statusCode()).as("another stream's")
                .isEqualTo(403);
    }

    // --- plays --------------------------------------------------------------------------------------

    @Test
    void aValidJwtPlaysOverRtmpHttpFlvAndHls() {
        for (String url : new String[] {node.rtmpUrl("jwt", "cam?token=" + jwt("cam", "play", KEY)),
                node.httpUrl("/jwt/cam.flv?token=" + jwt("cam", "play", KEY)),
                node.httpUrl("/jwt/streams/cam.m3u8?token=" + jwt("cam", "play", KEY))}) {
            assertPlays(url);
        }
    }

    @Test
    void anRtmpTokenMayComeOnTheApplicationOrTheTcUrl() {
        String app = "jwt?token=" + jwt("cam", "play", KEY);
        for (String option : new String[] {"-rtmp_app", "-rtmp_tcurl"}) {
            String value = option.equals("-rtmp_app") ? app : node.rtmpUrl(app, "").replaceAll("/$", "");
            try (ManagedProcess probe = ManagedProcess.start(List.of("ffprobe", "-v", "error", "-rw_timeout",
                    "10000000", option, value, "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                    node.rtmpUrl("jwt", "cam")))) {
                assertThat(probe.waitFor(Duration.ofSeconds(20))).as(option + ": " + probe.stderr()).isZero();
                assertThat(probe.stdout()).as(option).contains("h264");
            }
        }
    }

    @Test
    void aOneTimeTokenPlaysExactlyOnceOverRtmpHttpFlvAndHls() {
        for (String path : new String[] {"rtmp", "/once/cam.flv", "/once/streams/cam.m3u8"}) {
            String token = oneTime("once", "cam", "play");
            String url = path.equals("rtmp") ? node.rtmpUrl("once", "cam?token=" + token)
                    : node.httpUrl(path + "?token=" + token);
            assertPlays(url);
            Ffmpeg.Probe again = Ffmpeg.probe(url, 1);
            assertThat(again.exitCode()).as(url + " a second time").isNotZero();
        }
    }

    @Test
    void protectedLowLatencyHlsPlaysInFfmpegAndHlsJs() throws Exception {
        HlsJs.requireInstalled();
        // As a viewer arriving at a stream that has been live a while (the same session, reloaded)
        String session = sessionUrl("/once/streams/cam.m3u8?token=" + oneTime("once", "cam", "play"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get(session).body().split("#EXTINF:", -1).length > 3);
        assertThat(Ffmpeg.decodedVideoFrames(node.httpUrl("/once/streams/cam.m3u8?token="
                + oneTime("once", "cam", "play")), 3)).isGreaterThan(60);

        JsonNode r = HlsJs.play(node.httpUrl("/once/streams/cam.m3u8?token=" + oneTime("once", "cam", "play")),
                "llhls", dir.resolve("once.png"), 5);
        if (HlsJs.stalledAfterAnAbortedPart(r)) {
            System.out.println("hls.js stalled after aborting a part load; playing once more. Report: " + r);
            r = HlsJs.play(node.httpUrl("/once/streams/cam.m3u8?token=" + oneTime("once", "cam", "play")), "llhls",
                    dir.resolve("once-2.png"), 5);
        }
        HlsJs.assertPlaying(r, 640, 360);
        List<String> requests = HlsJs.requests(r);
        assertThat(requests).as("blocking reloads carry the session")
                .anyMatch(u -> u.contains("hlsSession=") && u.contains("_HLS_msn="));
        assertThat(requests).as("parts carry the session").anyMatch(u -> u.matches("/once/streams/cam/\\d+\\.\\d+"
                + "\\.m4s\\?hlsSession=.+"));
        assertThat(requests.stream().filter(u -> u.contains("token="))).as("the token is shown once").hasSize(1);
        assertThat(r.path("errorResponses").toString()).as("no request refused").doesNotContain("401 ", "403 ");
    }

    @Test
    void protectedDashCarriesTheSessionAndPlaysInFfmpeg() throws Exception {
        HttpResponse<String> first = get("/once/streams/cam/manifest.mpd?token=" + oneTime("once", "cam", "play"));
        assertThat(first.statusCode()).isEqualTo(302);
        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith("manifest.mpd?hlsSession=");
        String manifest = get("/once/streams/cam/" + location).body();
        assertThat(manifest).contains("<Location>" + location + "</Location>")
                .containsPattern("media=\"v\\$Number\\$\\.m4s\\?hlsSession=[^\"]+\"");

        // ffmpeg refreshes a DASH manifest at the URL it was given (not at its Location): a JWT, good until it
        // expires, is what it needs.
        assertThat(Ffmpeg.decodedVideoFrames(node.httpUrl("/jwt/streams/cam/manifest.mpd?token="
                + jwt("cam", "play", KEY)), 2)).isGreaterThan(30);
    }

    @Test
    void refusalsLeaveTheRunningStreamsAlone() {
        for (int i = 0; i < 3; i++) {
            rtmp.publishRefused(node, "jwt", "cam3");
            rtmp.playRefused(node, "once", "cam?token=wrong");
        }
        assertThat(publisher.isAlive()).isTrue();
        assertPlays(node.rtmpUrl("live", "open"));
        assertPlays(node.httpUrl("/live/streams/open.m3u8"));
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static String jwt(String stream, String type, String key) {
        return AccessCalls.jwt(key, stream, type);
    }

    private static String oneTime(String app, String stream, String type) {
        return calls.oneTime(app, stream, type);
    }

    private static String query(String token) {
        return token.isEmpty() ? "" : "?token=" + token;
    }

    /** The URL a playlist request with a token is sent to: the same playlist, with a session instead. */
    private static String sessionUrl(String path) throws Exception {
        HttpResponse<String> first = get(path);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(302);
        String location = first.headers().firstValue("Location").orElseThrow();
        assertThat(location).doesNotContain("token=").contains("hlsSession=");
        return URI.create(node.httpUrl(path)).resolve(location).toString().substring(node.httpUrl("").length());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return calls.get(path);
    }

    /** The status of a request whose answer may be an endless stream (HTTP-FLV), once its head arrived. */
    private static int get(String path, int expected) throws Exception {
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(node.httpUrl(path))).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            if (r.statusCode() == expected) {
                assertThat(body.readNBytes(3)).isNotEmpty();
            }
            return r.statusCode();
        }
    }
}
