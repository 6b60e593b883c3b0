package io.tributary.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.http.ApiClient.Reply;
import io.tributary.server.testing.TestNode;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What every HTTP answer of a node shares: 404, 405, CORS preflight and headers, request size limit. */
class HttpHandlerTest {
    private static final String BROADCASTS = "/live/rest/v2/broadcasts";

    private TestNode node;
    private ApiClient api;

    @BeforeEach
    void startNode() {
        node = TestNode.start();
        api = new ApiClient(node);
    }

    @AfterEach
    void stopNode() {
        node.close();
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"/nope", "/live", "/live/x", "/live/rest/v2", "/live/rest/v2/broadcasts",
        "/live/rest/v2/broadcasts/a/b/c", "/health/x", "/live/rest/v3/broadcasts/count"})
    void anUnknownPathAnswers404InTheApisJsonShape(String path) {
        Reply r = api.get(path);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Content-Type")).hasValue("application/json");
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo("No such resource: " + path);
    }

    @ParameterizedTest(name = "{0} {1} -> Allow: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            POST   | /health                                         | GET, HEAD, OPTIONS
            DELETE | /health                                         | GET, HEAD, OPTIONS
            DELETE | /live/rest/v2/broadcasts/list/0/10              | GET, HEAD, OPTIONS
            POST   | /live/rest/v2/broadcasts/cam1                   | GET, HEAD, PUT, DELETE, OPTIONS
            PUT    | /live/rest/v2/broadcasts/cam1/broadcast-statistics | GET, HEAD, OPTIONS
            GET    | /live/rest/v2/broadcasts/create/x               | NONE
            """)
    void aKnownPathWithAnotherMethodAnswers405WithAllow(String method, String path, String allow) {
        if (allow.equals("NONE")) {
            // A path no route has at all stays a 404, whatever the method.
            assertThat(api.send(method, path, null).status()).isEqualTo(404);
            return;
        }

        Reply r = api.send(method, path, method.equals("GET") || method.equals("DELETE") ? null : "{}");

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).hasValue(allow);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.fieldNames()).containsExactly("success", "message");
        assertThat(r.json().get("success").asBoolean()).isFalse();
        assertThat(r.json().get("message").asText()).isEqualTo(method + " is not allowed here");
    }

    /** {@code /count} belongs to its literal route, not to {@code {id}}: Allow names only what it serves. */
    @Test
    void aLiteralPathIsNotTakenForAnId() {
        Reply post = api.send("POST", BROADCASTS + "/count", "{}");
        Reply delete = api.send("DELETE", BROADCASTS + "/count", null);

        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).hasValue("GET, HEAD, OPTIONS");
        assertThat(delete.status()).as("not a delete of a broadcast named count").isEqualTo(405);
    }

    @ParameterizedTest(name = "OPTIONS {0}")
    @ValueSource(strings = {BROADCASTS + "/create", BROADCASTS + "/cam1", "/health", "/live/cam1.flv"})
    void optionsAnswersTheCorsPreflightWith204(String path) {
        Reply r = api.send(HttpRequest.newBuilder(api.uri(path))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://panel.example.com")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type")
                .build());

        assertThat(r.status()).isEqualTo(204);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.header("Access-Control-Allow-Methods")).hasValue("GET, HEAD, POST, PUT, DELETE, OPTIONS");
        assertThat(r.header("Access-Control-Allow-Headers")).hasValue("Content-Type, Authorization, X-Api-Key");
        assertThat(r.header("Access-Control-Max-Age")).hasValue("86400");
        assertThat(r.body()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @CsvSource(delimiter = '|', nullValues = "NONE", textBlock = """
            GET    | /health                                  | NONE                | 200
            GET    | /live/rest/v2/broadcasts/count           | NONE                | 200
            GET    | /live/rest/v2/broadcasts/list/0/10       | NONE                | 200
            POST   | /live/rest/v2/broadcasts/create          | {"streamId":"c1"}   | 200
            POST   | /live/rest/v2/broadcasts/create          | {"streamId":        | 400
            GET    | /live/rest/v2/broadcasts/list/-1/10      | NONE                | 400
            GET    | /live/rest/v2/broadcasts/nobody          | NONE                | 404
            PUT    | /live/rest/v2/broadcasts/nobody          | {"name":"x"}        | 404
            DELETE | /live/rest/v2/broadcasts/nobody          | NONE                | 404
            GET    | /nope/rest/v2/broadcasts/count           | NONE                | 404
            POST   | /health                                  | {}                  | 405
            """)
    void everyApiAnswerCarriesTheCorsHeader(String method, String path, String body, int status) {
        Reply r = api.send(method, path, body);

        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
        "GET,  /live/nothing.flv, No such stream",
        "HEAD, /live/nothing.flv, ''",
        "GET,  /nope/nothing.flv, No application nope",
    })
    void httpFlvOfAStreamThatIsNotLiveAnswers404WithTheCorsHeader(String method, String path, String text) {
        Reply r = api.send(method, path, null);

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(r.header("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(r.body()).startsWith(text);
    }

    @Test
    void theConfiguredCorsOriginIsSentInsteadOfTheWildcard() {
        try (TestNode strict = TestNode.builder().set("http.corsAllowOrigin", "https://panel.example.com").start()) {
            ApiClient strictApi = new ApiClient(strict);

            assertThat(strictApi.get(BROADCASTS + "/count").header("Access-Control-Allow-Origin"))
                    .hasValue("https://panel.example.com");
            assertThat(strictApi.get("/live/nothing.flv").header("Access-Control-Allow-Origin"))
                    .hasValue("https://panel.example.com");
        }
    }

    @Test
    void headAnswersLikeGetWithoutABody() {
        Reply get = api.get(BROADCASTS + "/count");
        Reply head = api.send("HEAD", BROADCASTS + "/count", null);

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Type")).hasValue("application/json");
        assertThat(head.header("Content-Length")).hasValue(String.valueOf(get.body().length()));
        assertThat(head.header("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void aBodyOverTheLimitAnswers413AndTheNodeKeepsServing() {
        try (TestNode small = TestNode.builder().set("http.maxRequestSize", "1KiB").start()) {
            ApiClient smallApi = new ApiClient(small);

            Reply tooLarge = smallApi.post(BROADCASTS + "/create", createBody("big", 2048));
            Reply fits = smallApi.post(BROADCASTS + "/create", createBody("fits", 1024));

            assertThat(tooLarge.status()).isEqualTo(413);
            assertThat(fits.status()).as(fits.toString()).isEqualTo(200);
            assertThat(smallApi.get("/health").status()).isEqualTo(200);
            assertThat(smallApi.get(BROADCASTS + "/big").status()).isEqualTo(404);
            assertThat(smallApi.get(BROADCASTS + "/count").json().get("number").asInt()).isEqualTo(1);
        }
    }

    @Test
    void a413AlsoCarriesTheCorsHeader() {
        try (TestNode small = TestNode.builder().set("http.maxRequestSize", "1KiB").start()) {
            Reply r = new ApiClient(small).post(BROADCASTS + "/create", createBody("big", 2048));

            assertThat(r.status()).isEqualTo(413);
            assertThat(r.header("Access-Control-Allow-Origin")).hasValue("*");
        }
    }

    /** A create body of exactly {@code bytes} bytes. */
    private static String createBody(String streamId, int bytes) {
        String head = "{\"streamId\":\"" + streamId + "\",\"description\":\"";
        String tail = "\"}";
        return head + "x".repeat(bytes - head.length() - tail.length()) + tail;
    }
}
