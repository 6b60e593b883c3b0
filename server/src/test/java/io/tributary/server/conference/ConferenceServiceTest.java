package io.tributary.server.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The conference WebSocket endpoint as a participant sees it: the upgrade, the commands, the limits. */
class ConferenceServiceTest {
    private TestNode node;
    private final List<RoomClient> clients = new ArrayList<>();

    @BeforeEach
    void startNode() {
        node = TestNode.start();
    }

    @AfterEach
    void stopNode() {
        clients.forEach(RoomClient::close);
        node.close();
    }

    private RoomClient connect() {
        RoomClient c = RoomClient.connect(node, "live");
        clients.add(c);
        return c;
    }

    /** What a node of the cluster would deliver: it lets a test see that nothing else came before it. */
    private void marker(String room) {
        node.node().conferences().deliverFromCluster("live", room, false,
                ("{\"command\":\"receivedData\",\"room\":\"" + room + "\",\"from\":\"marker\",\"data\":\"end\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static void assertMarker(RoomClient c) {
        assertThat(c.nextJson().get("from").asText()).isEqualTo("marker");
    }

    @Test
    void textAndBinaryMessagesReachTheOtherParticipantsOfTheRoomOnly() {
        RoomClient a = connect();
        RoomClient b = connect();
        RoomClient c = connect();
        String aId = a.join("r1");
        String bId = b.join("r1");
        c.join("r2");

        a.send("{\"command\":\"sendData\",\"data\":\"hello\"}");
        JsonNode text = b.nextJson();
        byte[] bytes = {0, 1, 2, (byte) 0xff, 42};
        a.sendBinary(bytes);
        byte[] binary = b.nextBinary();

        assertThat(aId).isNotEqualTo(bId).matches("[0-9a-f]{16}");
        assertThat(fieldNames(text)).containsExactly("command", "room", "from", "data");
        assertThat(text.get("command").asText()).isEqualTo("receivedData");
        assertThat(text.get("room").asText()).isEqualTo("r1");
        assertThat(text.get("from").asText()).isEqualTo(aId);
        assertThat(text.get("data").asText()).isEqualTo("hello");
        assertThat(binary).containsExactly(bytes);
        marker("r1");
        marker("r2");
        assertMarker(a);
        assertMarker(c);
    }

    @Test
    void joiningAnotherRoomLeavesTheFirstAndLeavingIsAnswered() {
        RoomClient a = connect();
        String id = a.join("r1");

        a.send("{\"command\":\"joinRoom\",\"room\":\"r2\"}");
        JsonNode left = a.nextJson();
        JsonNode joined = a.nextJson();

        assertThat(left.toString()).isEqualTo("{\"command\":\"leavedTheRoom\",\"room\":\"r1\"}");
        assertThat(joined.toString())
                .isEqualTo("{\"command\":\"joinedTheRoom\",\"room\":\"r2\",\"participantId\":\"" + id + "\"}");
        assertThat(node.node().conferences().participants("live", "r1")).isZero();
        assertThat(node.node().conferences().participants("live", "r2")).isEqualTo(1);

        a.send("{\"command\":\"leaveFromRoom\"}");
        assertThat(a.nextJson().toString()).isEqualTo("{\"command\":\"leavedTheRoom\",\"room\":\"r2\"}");
        assertThat(node.node().conferences().rooms("live")).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            not json                                  | invalidJson
            `{"command":"joinRoom"`                   | invalidJson
            `[1,2]`                                   | invalidMessage
            `{"room":"r1"}`                           | invalidMessage
            `{"command":"joinRoom"}`                  | invalidMessage
            `{"command":"joinRoom","room":7}`         | invalidMessage
            `{"command":"joinRoom","room":"r1","x":1}` | invalidMessage
            `{"command":"dance"}`                     | unknownCommand
            `{"command":"joinRoom","room":"a/b"}`     | invalidRoomId
            `{"command":"joinRoom","room":""}`        | invalidRoomId
            `{"command":"joinRoom","room":".."}`      | invalidRoomId
            `{"command":"sendData","data":"hi"}`      | notInRoom
            `{"command":"leaveFromRoom"}`             | notInRoom
            """)
    void aBadCommandIsAnsweredWithAnErrorAndTheConnectionStaysUsable(String message, String definition) {
        RoomClient a = connect();

        a.send(message);
        JsonNode error = a.nextJson();

        assertThat(fieldNames(error)).containsExactly("command", "definition", "message");
        assertThat(error.get("command").asText()).isEqualTo("error");
        assertThat(error.get("definition").asText()).isEqualTo(definition);
        assertThat(error.get("message").asText()).isNotBlank();
        a.join("r1");
        assertThat(node.node().conferences().participants("live", "r1")).isEqualTo(1);
    }

    @Test
    void binaryBeforeJoiningIsAnError() {
        RoomClient a = connect();

        a.sendBinary(new byte[] {1, 2, 3});

        assertThat(a.nextJson().get("definition").asText()).isEqualTo("notInRoom");
    }

    @Test
    void aMessageOf64KibIsRelayedAndABiggerOneClosesOnlyItsSenderWith1009() {
        RoomClient a = connect();
        RoomClient b = connect();
        a.join("r1");
        b.join("r1");
        byte[] largest = new byte[ConferenceService.MAX_MESSAGE_BYTES];
        largest[largest.length - 1] = 7;

        a.sendBinary(largest);
        assertThat(b.nextBinary()).containsExactly(largest);
        a.startSendingBinary(new byte[ConferenceService.MAX_MESSAGE_BYTES + 1]);

        assertThat(a.closed()).succeedsWithin(RoomClient.TIMEOUT).isEqualTo(1009);
        await().atMost(RoomClient.TIMEOUT)
                .until(() -> node.node().conferences().participants("live", "r1") == 1);
        RoomClient c = connect();
        c.join("r1");
        c.send("{\"command\":\"sendData\",\"data\":\"still here?\"}");
        assertThat(b.nextJson().get("data").asText()).isEqualTo("still here?");
    }

    @Test
    void pingIsAnsweredWithPong() throws Exception {
        RoomClient a = connect();

        a.ping(new byte[] {9, 8, 7});

        assertThat(a.nextPong()).isEqualTo(ByteBuffer.wrap(new byte[] {9, 8, 7}));
    }

    @Test
    void anUnknownAppIsRefusedWith404BeforeTheUpgrade() {
        Throwable failure = catchThrowable(() -> HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(RoomClient.uri(node, "nope"), new java.net.http.WebSocket.Listener() { })
                .join());

        assertThat(failure).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class);
        assertThat(((WebSocketHandshakeException) failure.getCause()).getResponse().statusCode()).isEqualTo(404);
    }

    @Test
    void aPlainGetIsAnswered400WithAMessage() {
        ApiClient.Reply reply = new ApiClient(node).get("/live/websocket");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(reply.json().get("message").asText()).contains("WebSocket endpoint");
    }

    @Test
    void anotherMethodIsAnswered405WithAllow() {
        ApiClient.Reply reply = new ApiClient(node).send("POST", "/live/websocket", "{}");

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.header("Allow")).hasValue("GET, HEAD, OPTIONS");
    }

    @Test
    void aQuietParticipantOutlivesTheHttpIdleTimeout() {
        try (TestNode quick = TestNode.builder().set("http.idleTimeout", "300ms").start();
             RoomClient a = RoomClient.connect(quick, "live");
             RoomClient b = RoomClient.connect(quick, "live")) {
            a.join("r1");
            b.join("r1");

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !a.closed().isDone());
            a.send("{\"command\":\"sendData\",\"data\":\"awake\"}");

            assertThat(b.nextJson().get("data").asText()).isEqualTo("awake");
        }
    }

    private static List<String> fieldNames(JsonNode json) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }
}
