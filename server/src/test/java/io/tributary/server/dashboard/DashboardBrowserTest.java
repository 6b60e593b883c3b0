package io.tributary.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.cluster.testing.RedisProcess;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.DashboardBrowser;
import io.tributary.server.testing.Ffmpeg;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dashboard in headless Chromium against a two-node cluster, as an operator uses it: sign in, watch the
 * nodes, see a stream published with ffmpeg appear, preview it, follow its relay, drain a node. The steps
 * build on each other, in order. Screenshots go to target/dashboard-screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final String SECRET = "dashboard-browser-test-secret-0123456789";
    private static final String PASSWORD = "correct horse battery";
    private static final String XSS = "<img src=x onerror=\"window.__xss=1\"><b>bold</b>";
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final String STREAM_ROW = "[data-test=stream-row][data-stream-id=lobby]";
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static RedisProcess redis;
    private static TestNode a;
    private static TestNode b;
    private static DashboardBrowser browser;
    private static ManagedProcess publisher;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        a = node("dash-a");
        b = node("dash-b");
        await().atMost(PATIENCE).until(() -> a.node().cluster().membership().nodes().size() == 2);
        browser = DashboardBrowser.start();
        browser.open(a.httpUrl("/"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {publisher, browser, b, a, redis}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.out.println("closing " + c + " failed: " + e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedAndShowsNoData() {
        browser.waitFor("[data-test=sign-in-form]");

        browser.fill("[data-test=sign-in-user]", "admin");
        browser.fill("[data-test=sign-in-password]", "not the password");
        browser.click("[data-test=sign-in-submit]");

        assertThat(browser.waitFor("[data-test=sign-in-error]")).contains("Wrong user name or password");
        assertThat(browser.eval("document.querySelector('[data-test=nodes]') === null "
                + "&& sessionStorage.length === 0").asBoolean()).as("no cluster data, no token").isTrue();
        screenshot("01-wrong-password");
    }

    @Test
    @Order(2)
    void signingInShowsBothNodesAlive() {
        browser.fill("[data-test=sign-in-password]", PASSWORD);
        browser.click("[data-test=sign-in-submit]");

        assertThat(browser.waitFor("[data-test=signed-in-user]")).isEqualTo("admin");
        assertThat(browser.waitFor("[data-node-id=dash-a] [data-test=node-status]", "alive", PATIENCE))
                .isEqualTo("alive");
        assertThat(browser.waitFor("[data-node-id=dash-b] [data-test=node-status]", "alive", PATIENCE))
                .isEqualTo("alive");
        assertThat(browser.texts("[data-test=node-row]")).hasSize(2);
        browser.waitUntil("document.querySelectorAll('[data-test=charts] canvas').length >= 3", PATIENCE);
        screenshot("02-cluster");
    }

    @Test
    @Order(3)
    void aStreamPublishedWithFfmpegAppearsWithItsOriginCodecsAndPicture() {
        publisher = Ffmpeg.publish(b.rtmpUrl("live", "lobby"), Duration.ofSeconds(240), "aac", "640x360");

        browser.click("[data-test=tab-streams]");

        // The dashboard runs on node a; node b, the origin, stores the stream's figures within 10 s.
        assertThat(browser.waitFor(STREAM_ROW + " [data-test=stream-codecs]", "h264 + aac", Duration.ofSeconds(45)))
                .isEqualTo("h264 + aac");
        assertThat(browser.waitFor(STREAM_ROW + " [data-test=stream-origin]")).isEqualTo("dash-b");
        assertThat(browser.waitFor(STREAM_ROW + " [data-test=stream-picture]")).startsWith("640×360");
        assertThat(browser.waitFor(STREAM_ROW + " [data-test=stream-status]")).isEqualTo("broadcasting");
        assertThat(browser.waitFor(STREAM_ROW + " [data-test=stream-uptime]")).as("counted from the start time "
                + "the origin stored").matches("\\d+ s|\\d+ min.*");
        screenshot("03-streams");
    }

    @Test
    @Order(4)
    void theStreamPagePlaysThePreviewOverHttpFlvAndHls() {
        browser.click(STREAM_ROW + " [data-test=stream-link]");
        assertThat(browser.waitFor("[data-test=stream-title]")).isEqualTo("live/lobby");
        assertThat(browser.waitFor("[data-test=url-flv]")).isEqualTo(a.httpUrl("/live/lobby.flv"));
        assertThat(browser.waitFor("[data-test=url-hls]")).isEqualTo(a.httpUrl("/live/streams/lobby.m3u8"));
        assertThat(browser.waitFor("[data-test=url-rtmp]")).isEqualTo(a.rtmpUrl("live", "lobby"));
        assertThat(browser.waitFor("[data-test=url-publish]")).isEqualTo(a.rtmpUrl("live", "lobby"));

        assertPreviewPlays("flv");
        // Node a pulls the stream from b for its player, and reports that viewer in its heartbeats.
        assertThat(browser.waitFor("[data-test=stream-node-viewers]", "dash-a", PATIENCE)).contains("dash-a");
        screenshot("04-preview-flv");

        browser.click("[data-test=preview-hls]");
        assertPreviewPlays("hls");
        screenshot("05-preview-hls");
    }

    @Test
    @Order(5)
    void aProtectedApplicationsPreviewPlaysWithAPlayTokenTheDashboardAsksFor() {
        ApiClient admin = new ApiClient(a).bearer(new ApiClient(a).post("/rest/v2/users/authenticate",
                "{\"email\":\"admin\",\"password\":\"" + PASSWORD + "\"}").json().get("token").asText());
        assertThat(admin.post("/rest/v2/applications/settings/live", "{\"playJwtControlEnabled\":true,"
                + "\"jwtStreamSecretKey\":\"dashboard-preview-key-0123456789abcdef\"}").status()).isEqualTo(200);
        try {
            await().atMost(PATIENCE).ignoreExceptions()
                    .until(() -> new ApiClient(a).get("/live/lobby.flv").status() == 401);

            browser.click("[data-test=preview-flv]");
            assertPreviewPlays("flv");
            assertThat(browser.eval("document.querySelector('[data-test=preview-error]') === null").asBoolean())
                    .isTrue();
        } finally {
            admin.post("/rest/v2/applications/settings/live", "{\"playJwtControlEnabled\":false}");
        }
    }

    @Test
    @Order(6)
    void theRelaysViewShowsNodeAPullingTheStreamFromItsOrigin() {
        browser.click("[data-test=tab-relays]");

        String pull = "[data-test=relay-row][data-node-id=dash-a][data-stream='live/lobby']";
        assertThat(browser.waitFor(pull + " [data-test=relay-state]", "live", PATIENCE)).isEqualTo("live");
        assertThat(browser.waitFor(pull)).contains("pulls (edge)", "dash-b");
        assertThat(browser.waitFor("[data-test=relay-row][data-node-id=dash-b][data-stream='live/lobby']"))
                .contains("serves (origin)");
        screenshot("06-relays");
    }

    @Test
    @Order(7)
    void drainingNodeBFromTheDashboardShowsItDraining() {
        browser.click("[data-test=tab-cluster]");

        browser.click("[data-node-id=dash-b] [data-test=drain]");
        browser.click("[data-node-id=dash-b] [data-test=confirm]");

        assertThat(browser.waitFor("[data-test=action-message]")).contains("dash-b is now draining");
        assertThat(browser.waitFor("[data-node-id=dash-b] [data-test=node-draining]", "draining", PATIENCE))
                .isEqualTo("draining");
        assertThat(b.node().drain().isDraining()).isTrue();
        assertThat(a.node().drain().isDraining()).isFalse();
        assertThat(browser.texts("[data-node-id=dash-a] [data-test=node-draining]")).isEmpty();
        screenshot("07-drained");
    }

    @Test
    @Order(8)
    void aBroadcastNamedWithHtmlIsShownAsText() {
        browser.click("[data-test=tab-streams]");

        browser.fill("[data-test=create-id]", "markup");
        browser.fill("[data-test=create-name]", XSS);
        browser.click("[data-test=create-submit]");

        assertThat(browser.waitFor("[data-stream-id=markup] [data-test=stream-name]")).isEqualTo(XSS);
        assertThat(browser.eval("window.__xss === undefined "
                + "&& document.querySelectorAll('[data-test=streams] img, [data-test=streams] b').length === 0")
                .asBoolean()).as("the name's markup never became elements").isTrue();
        screenshot("08-html-as-text");
    }

    @Test
    @Order(9)
    void aTokenTheNodeNoLongerAcceptsLeadsBackToSignIn() {
        browser.eval("sessionStorage.setItem('tributary.session', JSON.stringify({token: 'not-a-token', "
                + "username: 'admin', expiresAt: Date.now() + 60000})), location.reload(), true");

        assertThat(browser.waitFor("[data-test=sign-in-reason]")).contains("sign in again");
        assertThat(browser.eval("sessionStorage.length").asInt()).isZero();
        screenshot("09-signed-out");
    }

    @Test
    @Order(10)
    void thePagesRanWithoutScriptErrorsOrRefusedResources() {
        // The wrong password and the stale token were answered 401 on purpose; anything else is a fault (a
        // Content-Security-Policy refusal would be here too).
        assertThat(browser.problems()).filteredOn(p -> !p.contains("401")).isEmpty();
    }

    /** The preview plays {@code kind}: its clock passes one second, then moves on by another. */
    private static void assertPreviewPlays(String kind) {
        String video = "document.querySelector('[data-test=preview]')";
        double started = browser.waitUntil("(" + video + ".dataset.kind === '" + kind + "' && " + video
                + ".currentTime > 1) ? " + video + ".currentTime : 0", Duration.ofSeconds(45)).asDouble();
        double later = browser.waitUntil(video + ".currentTime > " + (started + 1) + " ? " + video
                + ".currentTime : 0", PATIENCE).asDouble();
        assertThat(later).as(kind + " preview clock").isGreaterThan(started + 1);
        assertThat(browser.eval(video + ".videoWidth").asInt()).isEqualTo(640);
    }

    private static void screenshot(String name) {
        browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
    }

    private static TestNode node(String id) {
        return TestNode.builder().set("nodeId", id).set("cluster.store", redis.uri()).set("cluster.secret", SECRET)
                .set("cluster.heartbeatPeriod", "1s").set("rest.allowedCidrs", "none")
                .set("auth.adminUser", "admin").set("auth.adminPassword", PASSWORD).start();
    }
}
