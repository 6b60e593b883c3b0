package io.tributary.server.conference;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A stopping node tells WebSocket participants it is going away (1001) instead of dropping them. */
class ConferenceShutdownTest {

    @Test
    void participantsGetGoingAwayWhenTheNodeStops() throws Exception {
        TestNode node = TestNode.start();
        CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        try {
            HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + node.node().httpPort() + "/live/websocket"),
                            new WebSocket.Listener() {
                                @Override
                                public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                                    closedWith.complete(statusCode);
                                    return null;
                                }

                                @Override
                                public void onError(WebSocket ws, Throwable error) {
                                    closedWith.completeExceptionally(error);
                                }
                            })
                    .get(5, TimeUnit.SECONDS);
        } finally {
            node.close();
        }
        assertThat(closedWith.get(5, TimeUnit.SECONDS)).isEqualTo(1001);
    }
}
