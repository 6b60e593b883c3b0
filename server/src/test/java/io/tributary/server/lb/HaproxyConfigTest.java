package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tributary.server.lb.DrainCommandTest.Run;
import io.tributary.server.testing.HaproxyProcess;
import io.tributary.server.testing.Repository;
import io.tributary.server.testing.TestNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The shipped HAProxy configuration and {@code tributary lb haproxy}, checked by the real haproxy. */
class HaproxyConfigTest {
    private static final String KEY = "lb-test-key";

    @Test
    void theShippedConfigurationIsTheExampleAndHaproxyAcceptsItWithoutWarnings() throws Exception {
        Path shipped = Repository.root().resolve("deploy/haproxy/haproxy.cfg");

        assertThat(Files.readString(shipped)).as("deploy/haproxy/haproxy.cfg is out of date: regenerate it with "
                + "./tributary lb haproxy --example > deploy/haproxy/haproxy.cfg").isEqualTo(HaproxyConfig.example());
        HaproxyProcess.Check check = HaproxyProcess.check(shipped);
        assertThat(check.status()).as(check.output()).isZero();
        assertThat(check.output()).contains("Configuration file is valid").doesNotContain("WARNING");
    }

    @Test
    void theConfigurationForARunningNodeListsItAsOriginAndEdgeAndHaproxyAcceptsIt() {
        try (TestNode node = TestNode.builder().set("cluster.apiKey", KEY).start()) {
            Run run = DrainCommandTest.run("lb", "haproxy", "--from", node.httpUrl(""), "--api-key", KEY,
                    "--bind", "127.0.0.1", "--rtmp-port", "11935", "--publish-port", "18080", "--play-port", "15080",
                    "--stats-port", "18404", "--stats-user", "ops", "--stats-password", "s3cret");

            assertThat(run.status()).as(run.err()).isZero();
            String id = node.node().nodeId();
            int rtmp = node.node().rtmpPort();
            int http = node.node().httpPort();
            assertThat(run.out())
                    .contains("# HAProxy 2.6+ in front of a Tributary cluster: 1 origin(s), 1 edge(s).")
                    .contains("    bind 127.0.0.1:11935\n", "    bind 127.0.0.1:18080\n", "    bind 127.0.0.1:15080\n",
                            "    bind 127.0.0.1:18404\n")
                    .contains("    server " + id + " 127.0.0.1:" + rtmp + " check port " + http + " send-proxy-v2\n")
                    .contains("    server " + id + " 127.0.0.1:" + http + " track rtmp_origins/" + id + "\n")
                    .contains("    server " + id + " 127.0.0.1:" + http + " check\n")
                    .contains("    server " + id + " 127.0.0.1:" + http + " track http_edges/" + id + "\n")
                    .contains("    stats auth ops:s3cret\n")
                    .doesNotContain("CHANGE");
            HaproxyProcess.Check check = HaproxyProcess.check(run.out());
            assertThat(check.status()).as(check.output()).isZero();
            assertThat(check.output()).doesNotContain("WARNING");
        }
    }

    @Test
    void deadNodesAreLeftOutAndSuspectOnesKeptForHaproxysOwnChecksToJudge() throws Exception {
        AtomicReference<String> keySent = new AtomicReference<>();
        HttpServer fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/cluster/api/servers", exchange -> {
            keySent.set(exchange.getRequestHeaders().getFirst("X-Cluster-Api-Key"));
            byte[] body = """
                    {"code":0,"message":"success","data":[
                     {"server_id":"origin-b","address":"10.0.0.12:5080","status":"suspect","roles":["origin"],
                      "rtmp_port":1935,"http_port":5080},
                     {"server_id":"origin-a","address":"10.0.0.11:5080","status":"alive","roles":["origin"],
                      "rtmp_port":1935,"http_port":5080},
                     {"server_id":"edge-a","address":"[fd00::13]:5081","status":"alive","roles":["edge"],
                      "rtmp_port":1936,"http_port":5081},
                     {"server_id":"edge-gone","address":"10.0.0.14:5080","status":"dead","roles":["edge"],
                      "rtmp_port":1935,"http_port":5080}]}
                    """.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        fake.start();
        try {
            Run run = DrainCommandTest.run("lb", "haproxy", "--from",
                    "http://127.0.0.1:" + fake.getAddress().getPort() + "/", "--api-key", KEY);

            assertThat(run.status()).as(run.err()).isZero();
            assertThat(keySent.get()).isEqualTo(KEY);
            assertThat(run.err()).isEqualTo("tributary: left out edge-gone (dead)" + System.lineSeparator());
            assertThat(run.out())
                    .contains("    server origin-a 10.0.0.11:1935 check port 5080 send-proxy-v2\n"
                            + "    server origin-b 10.0.0.12:1935 check port 5080 send-proxy-v2\n")
                    .contains("    server edge-a [fd00::13]:5081 check\n")
                    .contains("    bind :1935\n", "    bind :80\n", "    bind :5080\n", "    bind :8404\n")
                    .containsPattern("stats auth admin:[0-9a-f]{24}\n")
                    .doesNotContain("edge-gone");
            assertThat(HaproxyProcess.check(run.out()).status()).isZero();
        } finally {
            fake.stop(0);
        }
    }

    @Test
    void aWrongKeyOrAMissingNodeIsAClearError() {
        try (TestNode node = TestNode.builder().set("cluster.apiKey", KEY).start()) {
            Run refused = DrainCommandTest.run("lb", "haproxy", "--from", node.httpUrl(""), "--api-key", "wrong");

            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.out()).isEmpty();
            assertThat(refused.err()).startsWith("tributary: GET " + node.httpUrl("/cluster/api/servers")
                    + " answered 401: invalid API key or token");
        }
    }
}
