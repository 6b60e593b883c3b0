package io.tributary.cluster.allocation;

import static io.tributary.cluster.allocation.TestNodes.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.cluster.node.NodeState;
import io.tributary.media.StreamPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A player reached this node: play here, or go to the node that can take it best. */
class RedirectDecisionTest {
    private static final StreamPath PATH = StreamPath.parse("live/test");

    private final TestNodes nodes = new TestNodes();

    @Test
    void aNodeBelowItsThresholdsKeepsThePlayer() {
        nodes.add(node("self").self().players(1999), node("idle"));

        RedirectDecision d = nodes.manager().decide(PATH, "flv");

        assertThat(d.action()).isEqualTo(RedirectDecision.Action.STAY);
        assertThat(d.serverId()).isEqualTo("self");
        assertThat(d.url()).isEqualTo("http://127.0.0.1:5080/live/test.flv");
        assertThat(d.reason()).isEqualTo("self takes players");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "rtmp,     rtmp://203.0.113.7:1935/live/test",
            "flv,      http://203.0.113.7:5080/live/test.flv",
            "FLV,      http://203.0.113.7:5080/live/test.flv",
            "hls,      http://203.0.113.7:5080/live/streams/test.m3u8",
            "webrtc,   http://203.0.113.7:5080",
            "unknown,  http://203.0.113.7:5080"})
    void anOverloadedNodeSendsThePlayerToTheBestOtherNodeAtItsAdvertisedAddress(String protocol, String url) {
        nodes.add(node("self").self().players(2500), node("busy").players(1000),
                node("best").players(10).advertise("203.0.113.7"));

        RedirectDecision d = nodes.manager().decide(PATH, protocol);

        assertThat(d.action()).isEqualTo(RedirectDecision.Action.REDIRECT);
        assertThat(d.redirects()).isTrue();
        assertThat(d.serverId()).isEqualTo("best");
        assertThat(d.url()).isEqualTo(url);
        assertThat(d.reason()).isEqualTo("self is above the subscriber threshold (2500 players > 2000); best has "
                + "the least load (score 0.005)");
    }

    @Test
    void aRedirectReservesATicketSoABurstOfPlayersSpreads() {
        nodes.add(node("self").self().cpu(0.95), node("a"), node("b"));
        AllocationManager manager = nodes.manager();

        assertThat(manager.decide(PATH, "flv").serverId()).isEqualTo("a");
        assertThat(manager.decide(PATH, "flv").serverId()).isEqualTo("b");
        assertThat(manager.decide(PATH, "flv").serverId()).isEqualTo("a");
    }

    @Test
    void aDrainingNodeOrOneThatIsNoEdgeSendsPlayersAway() {
        nodes.add(node("self").self().draining(), node("edge").roles("edge"));
        assertThat(nodes.manager().decide(PATH, "rtmp").reason()).startsWith("self is draining; edge");

        TestNodes originOnly = new TestNodes().add(node("self").self().roles("origin"), node("edge").roles("edge"));
        RedirectDecision d = originOnly.manager().decide(PATH, "rtmp");
        assertThat(d.serverId()).isEqualTo("edge");
        assertThat(d.reason()).startsWith("self is not an edge; edge");
    }

    @Test
    void anOverloadedNodeKeepsThePlayerWhenNoOtherNodeCanTakeIt() {
        nodes.add(node("self").self().players(2001), node("suspect").state(NodeState.SUSPECT),
                node("full").egressMbit(9000));

        RedirectDecision d = nodes.manager().decide(PATH, "hls");

        assertThat(d.action()).isEqualTo(RedirectDecision.Action.STAY);
        assertThat(d.url()).isEqualTo("http://127.0.0.1:5080/live/streams/test.m3u8");
        assertThat(d.reason()).isEqualTo("self is above the subscriber threshold (2001 players > 2000), and no other "
                + "node can take the player (suspect is suspect; full is above the bandwidth threshold "
                + "(9000.0 > 8000 Mbit/s))");
    }

    @Test
    void aRedirectPrefersAnEdgeThatAlreadyRelaysTheStream() {
        nodes.add(node("self").self().players(2001), node("idle"),
                node("relaying").players(50).viewers("live/test", 5));

        RedirectDecision d = nodes.manager().decide(PATH, "flv");

        assertThat(d.serverId()).isEqualTo("relaying");
        assertThat(d.reason()).endsWith("relaying already has viewers of live/test and has the least load "
                + "(score 0.025)");
    }

    @Test
    void aNodeNotYetRegisteredKeepsItsPlayers() {
        nodes.add(node("other"));

        RedirectDecision d = nodes.manager().decide(PATH, "flv");

        assertThat(d.action()).isEqualTo(RedirectDecision.Action.STAY);
        assertThat(d.serverId()).isNull();
    }
}
