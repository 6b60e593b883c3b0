package io.tributary.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.cluster.comm.ClusterHttp;
import io.tributary.cluster.comm.ClusterTls;
import io.tributary.cluster.comm.ClusterNotifier;
import io.tributary.cluster.testing.RedisProcess;
import io.tributary.cluster.testing.TestCertificates;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes given a certificate and key talk HTTPS to each other, verifying the peer against the configured
 * CA: notifications reach a node with a certificate from that CA and fail against one from another CA.
 */
class NodeToNodeTlsTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-tls-test";

    @TempDir
    static Path dir;
    private static RedisProcess redis;
    private static TestCertificates certs;
    private static MultiThreadIoEventLoopGroup loops;

    @BeforeAll
    static void start() {
        redis = RedisProcess.start();
        certs = TestCertificates.create(dir);
        loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        redis.close();
    }

    @Test
    void notificationsTravelOverHttpsToANodeTheCaVouchesFor() throws Exception {
        TestCertificates.Issued cert = certs.nodeCertificate("127.0.0.1");
        try (TestNode a = node("tls-a", cert.certificate(), cert.key(), certs.caCertificate());
             TestNode b = node("tls-b", cert.certificate(), cert.key(), certs.caCertificate())) {
            awaitPeers(a, 1);
            publish(a, "secure");
            ClusterNotifier notifier = a.node().cluster().notifier();
            await().atMost(Duration.ofSeconds(10)).until(() -> notifier.sentCount() >= 1);
            assertThat(notifier.failedCount()).isZero();

            // The peer's port answers HTTPS, verified against the CA (and still plain HTTP for players).
            ClusterTls trust = ClusterTls.load(cert.certificate(), cert.key(), certs.caCertificate());
            HttpResponse<String> https = ClusterHttp.newClient(trust, Duration.ofSeconds(2)).send(HttpRequest
                    .newBuilder(URI.create("https://127.0.0.1:" + b.node().httpPort() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(https.statusCode()).isEqualTo(200);
            assertThat(https.body()).contains("\"nodeId\":\"tls-b\"");
        }
    }

    @Test
    void aPeerWhoseCertificateTheCaDidNotSignGetsNoNotifications() throws Exception {
        TestCertificates.Issued good = certs.nodeCertificate("127.0.0.1");
        TestCertificates.Issued foreign = certs.otherCaNodeCertificate("127.0.0.1");
        try (TestNode a = node("trusting-a", good.certificate(), good.key(), certs.caCertificate());
             TestNode b = node("foreign-b", foreign.certificate(), foreign.key(), certs.otherCa())) {
            awaitPeers(a, 1);
            publish(a, "guarded");
            ClusterNotifier notifier = a.node().cluster().notifier();
            await().atMost(Duration.ofSeconds(15)).until(() -> notifier.failedCount() >= 1);
            assertThat(notifier.sentCount()).isZero();
            // b may still learn of the stream from the store's own event feed, never from a's notification.
            await().atMost(Duration.ofSeconds(5)).until(() -> b.node().cluster().directory().lookup("live", "guarded")
                    .map(e -> e.originNode().equals("trusting-a")).orElse(false));
        }
    }

    private static TestNode node(String id, Path cert, Path key, Path ca) {
        return TestNode.builder()
                .set("nodeId", id)
                .set("cluster.store", redis.uri())
                .set("cluster.secret", SECRET)
                .set("cluster.heartbeatPeriod", "500ms")
                .set("cluster.notifyRetries", "1")
                .set("cluster.tls.certificate", cert.toString())
                .set("cluster.tls.key", key.toString())
                .set("cluster.tls.ca", ca.toString())
                .start();
    }

    private static void awaitPeers(TestNode node, int peers) {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.node().cluster().membership().peers().size() == peers);
    }

    private static void publish(TestNode node, String stream) throws Exception {
        new RtmpClient(loops, NioSocketChannel.class)
                .connect(RtmpUrl.parse(node.rtmpUrl("live", "")), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)
                .publish(stream).get(5, TimeUnit.SECONDS);
    }
}
