package io.tributary.server.access;

import static io.tributary.server.access.AccessCalls.assertPlays;
import static io.tributary.server.access.AccessCalls.now;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.relay.RelayView;
import io.tributary.cluster.testing.RedisProcess;
import io.tributary.media.StreamPath;
import io.tributary.rtmp.command.Status;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Access control through an edge: the edge checks its viewers' tokens itself (one-time tokens are used up in
 * the cluster store, so a token used at the edge is used everywhere) before it pulls anything from the
 * origin, and the origin serves the edge's relay on the edge's cluster token alone.
 */
class StreamAccessEdgeTest {
    private static final String KEY = StreamAccessTest.KEY;
    private static final String SECRET = "stream-access-edge-test-cluster-secret-0123";

    private static RedisProcess redis;
    private static TestNode origin;
    private static TestNode edge;
    private static AccessCalls atOrigin;
    private static AccessCalls atEdge;
    private static ManagedProcess publisher;
    private final TestRtmp rtmp = new TestRtmp();

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        origin = node("origin-a", "origin");
        edge = node("edge-b", "edge");
        atOrigin = new AccessCalls(origin);
        atEdge = new AccessCalls(edge);
        atOrigin.settings("jwt", "{\"publishJwtControlEnabled\": true, \"playJwtControlEnabled\": true, "
                + "\"jwtStreamSecretKey\": \"" + KEY + "\"}");
        atOrigin.settings("once", "{\"playTokenControlEnabled\": true, \"hlsMode\": \"llhls\"}");
        ApiClient edgeApi = new ApiClient(edge);
        await().atMost(Duration.ofSeconds(10)).until(() -> edgeApi.get("/rest/v2/applications/settings/once").json()
                .path("playTokenControlEnabled").asBoolean() && edgeApi.get("/rest/v2/applications/settings/jwt")
                .json().path("playJwtControlEnabled").asBoolean());
        publisher = Ffmpeg.publishToAll(Duration.ofSeconds(300),
                origin.rtmpUrl("jwt", "cam?token=" + jwt("cam", "publish")),
                origin.rtmpUrl("jwt", "quiet?token=" + jwt("quiet", "publish")),
                origin.rtmpUrl("once", "cam"), origin.rtmpUrl("once", "quiet"));
        for (String path : List.of("jwt/cam", "jwt/quiet", "once/cam", "once/quiet")) {
            await().atMost(Duration.ofSeconds(20)).until(() -> origin.node().streams()
                    .find(StreamPath.parse(path)).map(s -> s.info().width() > 0).orElse(false));
            await().atMost(Duration.ofSeconds(10)).until(() -> edge.node().cluster().directory()
                    .lookup(StreamPath.parse(path).app(), StreamPath.parse(path).streamId()).isPresent());
        }
    }

    @AfterAll
    static void stop() {
        if (publisher != null) {
            publisher.close();
        }
        for (TestNode n : new TestNode[] {edge, origin}) {
            if (n != null) {
                n.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void closeClients() {
        rtmp.close();
    }

    static Stream<Arguments> wrongTokens() {
        return Stream.of(
                Arguments.of("jwt", "", 401),
                Arguments.of("jwt", jwt("cam", "play"), 403),
                Arguments.of("jwt", jwt("quiet", "publish"), 403),
                Arguments.of("jwt", JwtStreamTokens.issue(KEY, "quiet", "play", now() - 1), 403),
                Arguments.of("jwt", JwtStreamTokens.issue("another-key-of-32-bytes-or-more-0123", "quiet", "play",
                        now() + 600), 403),
                Arguments.of("once", "", 401),
                Arguments.of("once", oneTime("once", "cam"), 403),
                Arguments.of("once", atOrigin.oneTime("once", "quiet", "publish"), 403),
                Arguments.of("once", expiredOneTime(), 403),
                Arguments.of("once", usedOneTime(), 403),
                Arguments.of("once", "never-issued", 403));
    }

    /** A play token for once/quiet whose expiry has passed. */
    private static String expiredOneTime() {
        long expiry = now() + 1;
        String token = atOrigin.oneTime("once", "quiet", "play", expiry);
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > expiry * 1000);
        return token;
    }

    /** A play token for once/quiet that a player used on the origin. */
    private static String usedOneTime() {
        String token = atOrigin.oneTime("once", "quiet", "play");
        try (TestRtmp player = new TestRtmp()) {
            player.play(origin, "once", "quiet?token=" + token);
        }
        return token;
    }

    @ParameterizedTest(name = "{0} token ''{1}''")
    @MethodSource("wrongTokens")
    void theEdgeRefusesAWrongTokenBeforeAnyRelayStarts(String app, String token, int status) throws Exception {
        String query = token.isEmpty() ? "" : "?token=" + token;

        assertThat(rtmp.playRefused(edge, app, "quiet" + query).code()).isEqualTo(Status.PLAY_FAILED);
        assertThat(get(edge, "/" + app + "/quiet.flv" + query).statusCode()).isEqualTo(status);
        assertThat(get(edge, "/" + app + "/streams/quiet.m3u8" + query).statusCode()).isEqualTo(status);

        assertThat(edge.node().cluster().relays().views()).extracting(RelayView::streamPath)
                .doesNotContain(app + "/quiet");
        assertThat(origin.node().cluster().relays().views()).extracting(RelayView::streamPath)
                .doesNotContain(app + "/quiet");
    }

    @Test
    void aValidJwtPlaysThroughTheEdgeOverRtmpHttpFlvAndHls() {
        for (String url : new String[] {edge.rtmpUrl("jwt", "cam?token=" + jwt("cam", "play")),
                edge.httpUrl("/jwt/cam.flv?token=" + jwt("cam", "play")),
                edge.httpUrl("/jwt/streams/cam.m3u8?token=" + jwt("cam", "play"))}) {
            assertPlays(url);
        }
        assertThat(edge.node().cluster().relays().views()).extracting(RelayView::streamPath, RelayView::direction)
                .contains(org.assertj.core.groups.Tuple.tuple("jwt/cam", "pull"));
    }

    @Test
    void aOneTimeTokenUsedAtTheEdgeIsUsedUpOnEveryNode() throws Exception {
        String flv = oneTime("once", "cam");
        String hls = oneTime("once", "cam");

        assertPlays(edge.httpUrl("/once/cam.flv?token=" + flv));
        assertThat(get(origin, "/once/cam.flv?token=" + flv).statusCode()).isEqualTo(403);
        assertThat(get(edge, "/once/cam.flv?token=" + flv).statusCode()).isEqualTo(403);

        assertThat(Ffmpeg.decodedVideoFrames(edge.httpUrl("/once/streams/cam.m3u8?token=" + hls), 2))
                .isGreaterThan(30);
        assertThat(get(origin, "/once/streams/cam.m3u8?token=" + hls).statusCode()).isEqualTo(403);
        assertThat(edge.node().cluster().relays().views()).extracting(RelayView::streamPath).contains("once/cam");
    }

    private static TestNode node(String id, String roles) {
        return TestNode.builder().set("nodeId", id).set("apps", "jwt,once").set("cluster.store", redis.uri())
                .set("cluster.secret", SECRET).set("cluster.heartbeatPeriod", "500ms").set("roles", roles)
                .set("cluster.relay.releaseDelay", "1s").set("hls.segmentDuration", "1s")
                .set("hls.partDuration", "200ms").start();
    }

    private static String jwt(String stream, String type) {
        return AccessCalls.jwt(KEY, stream, type);
    }

    /** A play token, asked for at the origin. */
    private static String oneTime(String app, String stream) {
        return atOrigin.oneTime(app, stream, "play");
    }

    private static HttpResponse<String> get(TestNode node, String path) throws Exception {
        return (node == origin ? atOrigin : atEdge).get(path);
    }
}
