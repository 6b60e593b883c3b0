package io.tributary.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamRequest;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SRS-style hooks: the JSON they are sent, and which answers let the client in. */
class AccessWebhookTest {
    private static final StreamRequest PUBLISH = new StreamRequest(new StreamPath("live", "cam"),
            Map.of("token", "abc"), new InetSocketAddress("127.0.0.1", 50000), "rtmp");

    private final HookServer hook = new HookServer();
    private final AccessWebhook webhook = new AccessWebhook(HttpClient.newHttpClient(), Duration.ofSeconds(1),
            "node-1");

    @AfterEach
    void stop() {
        hook.close();
    }

    @Test
    void theHookGetsSrsJsonForThePublish() throws Exception {
        ask().get(5, TimeUnit.SECONDS);

        JsonNode call = hook.calls().get(0);
        assertThat(call.path("action").asText()).isEqualTo("on_publish");
        assertThat(call.path("server_id").asText()).isEqualTo("node-1");
        assertThat(call.path("client_id").asText()).isNotEmpty();
        assertThat(call.path("ip").asText()).isEqualTo("127.0.0.1");
        assertThat(call.path("vhost").asText()).isEqualTo("__defaultVhost__");
        assertThat(call.path("app").asText()).isEqualTo("live");
        assertThat(call.path("stream").asText()).isEqualTo("cam");
        assertThat(call.path("param").asText()).isEqualTo("?token=abc");
        assertThat(call.path("tcUrl").asText()).isEqualTo("rtmp://example.com:1935/live");
        assertThat(call.path("stream_url").asText()).isEqualTo("/live/cam");
        assertThat(call.path("protocol").asText()).isEqualTo("rtmp");
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource(delimiter = '|', value = {"200|{\"code\": 0}", "200|0", "201|{\"code\":0,\"data\":null}", "200| 0\n"})
    void aSuccessWithCodeZeroLetsTheClientIn(int status, String body) {
        hook.answer(status, body);

        assertThatCode(() -> ask().get(5, TimeUnit.SECONDS)).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "HTTP {0} {1}")
    @CsvSource(delimiter = '|', value = {"200|{\"code\": 1}", "200|1", "200|''", "200|{\"code\": \"0\"}",
            "200|[0]", "500|{\"code\": 0}", "403|0", "302|0"})
    void anyOtherAnswerIsForbidden(int status, String body) {
        hook.answer(status, body);

        assertThatThrownBy(() -> ask().join()).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(StreamException.class)
                .hasMessageContaining("Refused by the on_publish webhook (HTTP " + status + ")")
                .extracting(e -> ((StreamException) e).reason()).isEqualTo(StreamException.Reason.FORBIDDEN);
    }

    @Test
    void noAnswerWithinTheTimeoutIsARefusalToo() {
        hook.silent();

        assertThatThrownBy(() -> ask().get(10, TimeUnit.SECONDS)).cause().isInstanceOf(StreamException.class)
                .hasMessageContaining("did not answer")
                .extracting(e -> ((StreamException) e).reason()).isEqualTo(StreamException.Reason.UNAVAILABLE);
    }

    @Test
    void aHookThatIsDownIsARefusal() {
        hook.close();

        assertThatThrownBy(() -> ask().get(10, TimeUnit.SECONDS)).cause().isInstanceOf(StreamException.class)
                .extracting(e -> ((StreamException) e).reason()).isEqualTo(StreamException.Reason.UNAVAILABLE);
    }

    private CompletableFuture<Void> ask() {
        return webhook.ask(hook.url(), "on_publish", PUBLISH, "rtmp://example.com:1935/live");
    }
}
