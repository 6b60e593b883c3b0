package io.tributary.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient;
import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The dashboard's files as a browser gets them: types, caching, the page's CSP, and nothing else. */
class DashboardRoutesTest {
    private static TestNode node;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        node = TestNode.start();
        api = new ApiClient(node);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void theRootIsTheDashboardPageWithAStrictContentSecurityPolicy() {
        Reply page = api.get("/");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<title>Tributary dashboard</title>", "<div id=\"app\">");
        assertThat(page.header("Cache-Control")).contains("no-cache");
        assertThat(page.header("ETag")).hasValueSatisfying(tag -> assertThat(tag).matches("\"[0-9a-f]{24}\""));
        assertThat(page.header("X-Content-Type-Options")).contains("nosniff");
        String csp = page.header("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
                "media-src 'self' blob:").doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(csp).containsPattern("script-src 'self' 'sha256-[A-Za-z0-9+/]+={0,2}';");
    }

    @Test
    void thePageNamesEachVendorFileWithItsETagSoItCanBeCachedForAYear() {
        Matcher ref = Pattern.compile("/dashboard/vendor/preact\\.mjs\\?v=([0-9a-f]{24})").matcher(api.get("/").body());
        assertThat(ref.find()).as("a versioned reference to preact").isTrue();

        Reply preact = api.get(ref.group());

        assertThat(preact.status()).isEqualTo(200);
        assertThat(preact.header("ETag")).contains("\"" + ref.group(1) + "\"");
        assertThat(preact.header("Cache-Control")).contains(DashboardRoutes.VENDOR_CACHE);
        assertThat(preact.header("Content-Security-Policy")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/dashboard/app.js | text/javascript; charset=utf-8 | no-cache",
        "/dashboard/views/cluster.js | text/javascript; charset=utf-8 | no-cache",
        "/dashboard/app.css | text/css; charset=utf-8 | no-cache",
        "/dashboard/favicon.svg | image/svg+xml | no-cache",
        "/dashboard/vendor/hooks.mjs | text/javascript; charset=utf-8 | " + DashboardRoutes.VENDOR_CACHE,
        "/dashboard/vendor/uPlot.min.css | text/css; charset=utf-8 | " + DashboardRoutes.VENDOR_CACHE,
        "/dashboard/vendor/mpegts.js | text/javascript; charset=utf-8 | " + DashboardRoutes.VENDOR_CACHE,
    })
    void filesHaveTheirContentTypeAndCaching(String path, String type, String cache) {
        Reply file = api.get(path);

        assertThat(file.status()).as(path).isEqualTo(200);
        assertThat(file.header("Content-Type")).contains(type);
        assertThat(file.header("Cache-Control")).contains(cache);
        assertThat(file.body()).isNotEmpty();
    }

    @Test
    void anUnchangedFileIsNotSentAgain() {
        String etag = api.get("/dashboard/app.js").header("ETag").orElseThrow();

        Reply again = api.send(HttpRequest.newBuilder(api.uri("/dashboard/app.js")).header("If-None-Match", etag)
                .GET().build());

        assertThat(again.status()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.header("ETag")).contains(etag);
        assertThat(api.send(HttpRequest.newBuilder(api.uri("/dashboard/app.js"))
                .header("If-None-Match", "\"something-else\"").GET().build()).status()).isEqualTo(200);
    }

    @Test
    void headAnswersTheHeadersAlone() {
        Reply head = api.send("HEAD", "/", null);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Security-Policy")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/nothing.js", "/dashboard/vendor/nothing.mjs", "/dashboard/app.exe",
        "/dashboard/vendor/licenses/preact/LICENSE", "/dashboard/.hidden.js", "/dashboard/a/b/c/d/e.js"})
    void anythingElseIsNotFound(String path) {
        Reply reply = api.get(path);

        assertThat(reply.status()).as(path).isEqualTo(404);
        assertThat(reply.json().get("success").asBoolean()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dashboard/../logback.xml", "/dashboard/%2e%2e/logback.xml",
        "/dashboard/vendor/%2e%2e%2f%2e%2e%2flogback.xml", "/dashboard/..%2F..%2Fio/tributary/server/TributaryNode.class",
        "/dashboard/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/dashboard/..\\..\\logback.xml"})
    void pathsOutsideTheDashboardAreRefused(String path) throws IOException {
        String answer = rawGet(path);

        assertThat(answer).as(path).startsWith("HTTP/1.1 404").doesNotContain("<configuration", "root:");
    }

    @Test
    void theOldDashboardPathLeadsToTheRoot() {
        Reply reply = api.get("/dashboard");

        assertThat(reply.status()).isEqualTo(302);
        assertThat(reply.header("Location")).contains("/");
    }

    @Test
    void filesAreReadOnly() {
        assertThat(api.post("/", "{}").status()).isEqualTo(405);
        assertThat(api.delete("/dashboard/app.js").status()).isEqualTo(405);
    }

    /** The request line exactly as given: HTTP clients would normalise the dots away before sending. */
    private static String rawGet(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", node.node().httpPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
