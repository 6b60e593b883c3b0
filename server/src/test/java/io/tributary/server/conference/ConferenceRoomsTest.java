package io.tributary.server.conference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.embedded.EmbeddedChannel;
import io.tributary.server.testing.TestNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A node's rooms: who is in them, and the seam through which a room spans the cluster. */
class ConferenceRoomsTest {
    private TestNode node;
    private ConferenceRooms rooms;
    private final Recorder forwarded = new Recorder();
    private final List<RoomClient> clients = new ArrayList<>();

    /** What the cluster was asked to forward. */
    record Forwarded(String app, String room, boolean binary, String data) {
    }

    static final class Recorder implements RoomForwarder {
        final List<Forwarded> calls = new CopyOnWriteArrayList<>();

        @Override
        public void forward(String app, String room, boolean binary, byte[] data) {
            calls.add(new Forwarded(app, room, binary, binary ? hex(data) : new String(data, StandardCharsets.UTF_8)));
        }
    }

    @BeforeEach
    void startNode() {
        node = TestNode.builder().set("apps", "live,talk").start();
        rooms = node.node().conferences();
        rooms.forwardWith(forwarded);
    }

    @AfterEach
    void stopNode() {
        clients.forEach(RoomClient::close);
        node.close();
    }

    private RoomClient connect(String app) {
        RoomClient c = RoomClient.connect(node, app);
        clients.add(c);
        return c;
    }

    @Test
    void eachMessageALocalParticipantSendsIsForwardedOnceWithItsAppRoomAndData() {
        RoomClient a = connect("talk");
        String id = a.join("r1");

        a.send("{\"command\":\"sendData\",\"data\":\"hello\"}");
        a.sendBinary(new byte[] {1, 2, 3});
        await().atMost(RoomClient.TIMEOUT).until(() -> forwarded.calls.size() >= 2);

        assertThat(forwarded.calls).containsExactly(
                new Forwarded("talk", "r1", false,
                        "{\"command\":\"receivedData\",\"room\":\"r1\",\"from\":\"" + id + "\",\"data\":\"hello\"}"),
                new Forwarded("talk", "r1", true, "010203"));
    }

    @Test
    void aMessageFromTheClusterReachesEveryLocalParticipantAsItIsAndIsNotForwardedAgain() {
        RoomClient a = connect("live");
        RoomClient b = connect("live");
        RoomClient other = connect("talk");
        a.join("r1");
        b.join("r1");
        other.join("r1");
        String json = "{\"command\":\"receivedData\",\"room\":\"r1\",\"from\":\"elsewhere\",\"data\":\"hi\"}";

        rooms.deliverFromCluster("live", "r1", false, json.getBytes(StandardCharsets.UTF_8));
        rooms.deliverFromCluster("live", "r1", true, new byte[] {4, 5});

        for (RoomClient c : List.of(a, b)) {
            assertThat(c.nextText()).isEqualTo(json);
            assertThat(c.nextBinary()).containsExactly(4, 5);
        }
        // The same room name in another app is another room; what "other" gets first is its own room's.
        b.send("{\"command\":\"sendData\",\"data\":\"after\"}");
        await().atMost(RoomClient.TIMEOUT).until(() -> !forwarded.calls.isEmpty());
        assertThat(forwarded.calls).extracting(Forwarded::data).singleElement().asString().contains("after");
        rooms.deliverFromCluster("talk", "r1", true, new byte[] {9});
        assertThat(other.nextBinary()).containsExactly(9);
    }

    @Test
    void leavingAndDisconnectingRemoveTheParticipantAndAnEmptyRoomDisappears() {
        RoomClient a = connect("live");
        RoomClient b = connect("live");
        a.join("r1");
        b.join("r1");
        assertThat(rooms.participants("live", "r1")).isEqualTo(2);
        assertThat(rooms.rooms("live")).containsExactly("r1");

        a.send("{\"command\":\"leaveFromRoom\",\"room\":\"r1\"}");
        a.nextJson();
        assertThat(rooms.participants("live", "r1")).isEqualTo(1);
        b.close();

        await().atMost(RoomClient.TIMEOUT).until(() -> rooms.participants("live", "r1") == 0);
        assertThat(rooms.rooms("live")).isEmpty();
        rooms.deliverFromCluster("live", "r1", true, new byte[] {1});
        assertThat(forwarded.calls).isEmpty();
    }

    @Test
    void concurrentJoinsAndLeavesLoseNoParticipantAndLeaveNoEmptyRoom() throws Exception {
        ConferenceRooms local = new ConferenceRooms();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                done.add(pool.submit(() -> {
                    Participant p = new Participant(new EmbeddedChannel());
                    for (int i = 0; i < 2_000; i++) {
                        local.join("live", "r" + (i % 3), p);
                        local.leave("live", "r" + (i % 3), p);
                    }
                    local.join("live", "stay", p);
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(local.rooms("live")).containsExactly("stay");
        assertThat(local.participants("live", "stay")).isEqualTo(8);
    }

    private static String hex(byte[] data) {
        return java.util.HexFormat.of().formatHex(data);
    }
}
