package io.tributary.server.conference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tributary.server.testing.TestNode;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A participant as a browser would be one: a WebSocket to {@code /{app}/websocket}, and what it receives,
 * in order. Tests of the endpoint and of the rooms share it.
 */
public final class RoomClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** One message received: text or binary, whole. */
    record Received(String text, byte[] binary) {
        boolean isText() {
            return text != null;
        }
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<ByteBuffer> pongs = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private RoomClient(URI uri) {
        this.ws = HTTP.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, new Collector()).join();
    }

    public static RoomClient connect(TestNode node, String app) {
        return new RoomClient(uri(node, app));
    }

    static URI uri(TestNode node, String app) {
        return URI.create("ws://127.0.0.1:" + node.node().httpPort() + "/" + app + "/websocket");
    }

    /** Joins a room and returns the participant id the server gave. */
    public String join(String room) {
        send("{\"command\":\"joinRoom\",\"room\":\"" + room + "\"}");
        JsonNode reply = nextJson();
        assertThat(reply.get("command").asText()).as(reply.toString()).isEqualTo("joinedTheRoom");
        return reply.get("participantId").asText();
    }

    public void send(String text) {
        ws.sendText(text, true).join();
    }

    void sendBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /** Starts sending without waiting: the server may close the connection before all of it is out. */
    void startSendingBinary(byte[] data) {
        ws.sendBinary(ByteBuffer.wrap(data), true);
    }

    void ping(byte[] payload) {
        ws.sendPing(ByteBuffer.wrap(payload)).join();
    }

    Received next() {
        try {
            Received r = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(r).as("a message within " + TIMEOUT).isNotNull();
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String nextText() {
        Received r = next();
        assertThat(r.isText()).as("a text message").isTrue();
        return r.text();
    }

    public JsonNode nextJson() {
        String text = nextText();
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    byte[] nextBinary() {
        Received r = next();
        assertThat(r.isText()).as("a binary message").isFalse();
        return r.binary();
    }

    ByteBuffer nextPong() throws InterruptedException {
        ByteBuffer pong = pongs.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(pong).as("a pong within " + TIMEOUT).isNotNull();
        return pong;
    }

    /** The close status the server sent (1006 when the connection just dropped). */
    CompletableFuture<Integer> closed() {
        return closed;
    }

    @Override
    public void close() {
        ws.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(new Received(text.toString(), null));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                received.add(new Received(null, binary.toByteArray()));
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            ByteBuffer copy = ByteBuffer.allocate(message.remaining());
            copy.put(message).flip();
            pongs.add(copy);
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(1006);
        }
    }
}
