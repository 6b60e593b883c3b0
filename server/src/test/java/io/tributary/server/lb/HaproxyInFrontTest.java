package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.http.ApiClient;
import io.tributary.server.lb.DrainCommandTest.Run;
import io.tributary.server.testing.HaproxyProcess;
import io.tributary.server.testing.TestNode;
import io.tributary.server.testing.TestRtmp;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The real haproxy, configured by {@code tributary lb haproxy}, in front of a node: an encoder's real
 * address arrives through send-proxy-v2, HTTP-FLV plays through the playing port, the internal API is
 * refused, and draining the node takes it out of rotation while its current player carries on.
 */
class HaproxyInFrontTest {
    private static final String KEY = "lb-test-key";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void haproxyInFrontOfANodePassesClientsOnAndDropsItWhenItDrains() throws Exception {
        int rtmpPort = HaproxyProcess.freePort();
        int playPort = HaproxyProcess.freePort();
        int publishPort = HaproxyProcess.freePort();
        int statsPort = HaproxyProcess.freePort();
        try (TestNode node = TestNode.builder().set("cluster.apiKey", KEY)
                .set("server.trustedProxies", "127.0.0.1/32").start();
             TestRtmp rtmp = new TestRtmp()) {
            Run generated = DrainCommandTest.run("lb", "haproxy", "--from", node.httpUrl(""), "--api-key", KEY,
                    "--bind", "127.0.0.1", "--rtmp-port", "" + rtmpPort, "--publish-port", "" + publishPort,
                    "--play-port", "" + playPort, "--stats-port", "" + statsPort,
                    "--stats-user", HaproxyProcess.STATS_USER, "--stats-password", HaproxyProcess.STATS_PASSWORD);
            assertThat(generated.status()).as(generated.err()).isZero();
            String id = node.node().nodeId();

            try (HaproxyProcess haproxy = HaproxyProcess.run(generated.out(), statsPort);
                 // The encoder connects from 127.0.0.3; HAProxy reaches the node from 127.0.0.1.
                 ProxyRelay encoderSide = new ProxyRelay(rtmpPort, ProxyRelay.Header.NONE,
                         new InetSocketAddress(0), ProxyProtocolRtmpTest.ip("127.0.0.3"))) {
                await().atMost(HaproxyProcess.TIMEOUT).until(() -> "UP".equals(
                        haproxy.serverStatus().get("rtmp_origins/" + id)));

                rtmp.publishFed(encoderSide.port(), "cam");
                assertThat(ProxyProtocolRtmpTest.ipAddr(node, "cam")).isEqualTo("127.0.0.3");

                InputStream watching = flv(playPort, "/live/cam.flv");
                assertThat(new String(watching.readNBytes(3))).isEqualTo("FLV");

                for (int port : new int[] {playPort, publishPort}) {
                    assertThat(status(port, "/cluster/api/servers")).isEqualTo(403);
                }
                assertThat(new ApiClient(node).get("/cluster/api/servers").status())
                        .as("the same call straight to the node, without the key").isEqualTo(401);

                assertThat(DrainCommandTest.run("drain", "--node", node.httpUrl("")).status()).isZero();
                await().atMost(HaproxyProcess.TIMEOUT).untilAsserted(() -> assertThat(haproxy.serverStatus())
                        .containsEntry("rtmp_origins/" + id, "DOWN").containsEntry("http_edges/" + id, "DOWN")
                        .containsEntry("hls_edges/" + id, "DOWN").containsEntry("http_origins/" + id, "DOWN"));
                HttpResponse<String> refused = HTTP.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + playPort + "/live/cam.flv")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).isEqualTo(503);
                assertThat(refused.body()).as("HAProxy's own answer: no server left")
                        .contains("No server is available");
                assertThat(watching.readNBytes(8 * 1024)).as("the current player keeps its stream").hasSize(8 * 1024);

                assertThat(DrainCommandTest.run("drain", "--off", "--node", node.httpUrl("")).status()).isZero();
                await().atMost(HaproxyProcess.TIMEOUT).untilAsserted(() -> assertThat(haproxy.serverStatus())
                        .containsEntry("rtmp_origins/" + id, "UP").containsEntry("http_edges/" + id, "UP"));
                try (InputStream again = flv(playPort, "/live/cam.flv")) {
                    assertThat(new String(again.readNBytes(3))).isEqualTo("FLV");
                }
                watching.close();
            }
        }
    }

    private static InputStream flv(int port, String path) throws Exception {
        HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("video/x-flv");
        return r.body();
    }

    private static int status(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("X-Cluster-Api-Key", KEY).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

}
