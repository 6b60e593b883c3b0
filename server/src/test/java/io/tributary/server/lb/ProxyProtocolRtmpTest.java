package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.tributary.server.http.ApiClient;
import io.tributary.server.lb.ProxyRelay.Header;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * RTMP behind a TCP load balancer: a trusted proxy's PROXY protocol header (v1 or v2) names the
 * publisher, anyone else's closes the connection. The relay connects from 127.0.0.2, so a client
 * connecting directly (from 127.0.0.1) is an untrusted peer of the same node.
 */
class ProxyProtocolRtmpTest {
    private static final InetSocketAddress CLIENT = new InetSocketAddress(ip("203.0.113.9"), 5000);
    private static final InetAddress PROXY = ip("127.0.0.2");

    @ParameterizedTest
    @EnumSource(value = Header.class, names = {"V1", "V2"})
    void aTrustedProxysHeaderNamesThePublisherInTheLogAndTheBroadcastRecord(Header header) throws Exception {
        try (LogCapture log = new LogCapture("io.tributary.rtmp.server.NetStreams");
             TestNode node = TestNode.builder().set("server.trustedProxies", "127.0.0.2/32").start();
             ProxyRelay proxy = new ProxyRelay(node.node().rtmpPort(), header, CLIENT, PROXY);
             TestRtmp rtmp = new TestRtmp()) {
            rtmp.publish(proxy.port(), "cam");

            assertThat(ipAddr(node, "cam")).isEqualTo("203.0.113.9");
            await().atMost(TestRtmp.TIMEOUT).until(() -> log.lines().contains("publish start live/cam from "
                    + "203.0.113.9:5000"));
        }
    }

    @Test
    void aHeaderFromAnUntrustedPeerClosesItsConnectionWhileOtherClientsCarryOn() throws Exception {
        try (LogCapture log = new LogCapture("io.tributary.server.lb.ProxyProtocolDetector");
             TestNode node = TestNode.builder().set("server.trustedProxies", "127.0.0.2/32").start();
             TestRtmp rtmp = new TestRtmp();
             Socket spoofer = new Socket(InetAddress.getLoopbackAddress(), node.node().rtmpPort())) {
            spoofer.setSoTimeout((int) TestRtmp.TIMEOUT.toMillis());
            byte[] header = ProxyRelay.header(Header.V2, CLIENT, node.node().rtmpPort());
            // The header, then C0 + C1: the handshake a proxy would have let through.
            spoofer.getOutputStream().write(Arrays.copyOf(header, header.length + 1 + 1536));

            assertThat(closedByPeer(spoofer.getInputStream()))
                    .as("the node closes the connection instead of answering the handshake").isTrue();
            assertThat(log.lines()).anySatisfy(line -> assertThat(line)
                    .startsWith("closing RTMP connection from 127.0.0.1:")
                    .endsWith("it sent a PROXY protocol header but is not a trusted proxy (server.trustedProxies)"));

            rtmp.publish(node.node().rtmpPort(), "direct");
            assertThat(ipAddr(node, "direct")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aTrustedProxyRequiredToSendAHeaderIsRefusedWithoutOne() throws Exception {
        try (LogCapture log = new LogCapture("io.tributary.server.lb.ProxyProtocolDetector");
             TestNode node = TestNode.builder().set("server.trustedProxies", "127.0.0.2/32")
                     .set("rtmp.requireProxyProtocol", "true").start();
             ProxyRelay bare = new ProxyRelay(node.node().rtmpPort(), Header.NONE, CLIENT, PROXY);
             ProxyRelay proxied = new ProxyRelay(node.node().rtmpPort(), Header.V2, CLIENT, PROXY);
             TestRtmp rtmp = new TestRtmp()) {
            assertThatThrownBy(() -> rtmp.connect(bare.port())).isInstanceOf(AssertionError.class);
            assertThat(log.lines()).anySatisfy(line -> assertThat(line).startsWith("closing RTMP connection from "
                    + "127.0.0.2:").contains("must start with a PROXY protocol header (rtmp.requireProxyProtocol)"));

            rtmp.publish(proxied.port(), "proxied");
            rtmp.publish(node.node().rtmpPort(), "direct");
            assertThat(ipAddr(node, "proxied")).isEqualTo("203.0.113.9");
            assertThat(ipAddr(node, "direct")).isEqualTo("127.0.0.1");
        }
    }

    /** Whether the peer closed the connection (a reset counts: it may close before reading everything). */
    static boolean closedByPeer(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException e) {
            return true;
        }
    }

    static String ipAddr(TestNode node, String streamId) {
        ApiClient api = new ApiClient(node);
        return await().atMost(TestRtmp.TIMEOUT).until(
                () -> api.get("/live/rest/v2/broadcasts/" + streamId).json().path("ipAddr").asText(),
                ip -> !ip.isEmpty());
    }

    /** An address from a literal (no DNS lookup). */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
