package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.TestNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * HTTP behind a proxy: the client a request comes from, as the node records it (here in the drain log
 * line, which names who asked). X-Forwarded-For counts only from a trusted proxy; so does a PROXY header.
 */
class ForwardedForTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** The clients named here are not allow-listed for the REST API: they come with a key, as scripts do. */
    private static final String API_KEY = "forwarded-key-0123456789";

    @Test
    void xForwardedForFromAnUntrustedPeerIsIgnored() throws Exception {
        try (LogCapture log = new LogCapture(DrainRoutes.class.getName());
             TestNode node = TestNode.start()) {
            assertThat(drainAskedFrom(node, log, "203.0.113.9")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aTrustedProxysXForwardedForNamesTheRightMostUntrustedAddress() throws Exception {
        try (LogCapture log = new LogCapture(DrainRoutes.class.getName());
             TestNode node = TestNode.builder().set("server.trustedProxies", "127.0.0.1/32,10.0.0.0/8")
                     .set("rest.apiKeys", API_KEY).start()) {
            assertThat(drainAskedFrom(node, log, "203.0.113.9")).isEqualTo("203.0.113.9");
            // The client may have sent a made-up header: only what the trusted hops appended counts.
            assertThat(drainAskedFrom(node, log, "192.0.2.66, 203.0.113.9")).isEqualTo("203.0.113.9");
            // A chain of trusted proxies: the first untrusted address from the right.
            assertThat(drainAskedFrom(node, log, "203.0.113.9, 10.1.2.3")).isEqualTo("203.0.113.9");
            assertThat(drainAskedFrom(node, log, "2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
            assertThat(drainAskedFrom(node, log, "unknown")).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void aTrustedProxysProxyHeaderNamesTheClientAndItsForwardedForIsNotBelievedAfterIt() throws Exception {
        try (LogCapture log = new LogCapture(DrainRoutes.class.getName());
             TestNode node = TestNode.builder().set("server.trustedProxies", "127.0.0.1/32")
                     .set("rest.apiKeys", API_KEY).start()) {
            String header = "PROXY TCP4 198.51.100.4 127.0.0.1 5000 80\r\n";

            assertThat(rawPost(node, header, "X-Forwarded-For: 203.0.113.9\r\nX-Api-Key: " + API_KEY + "\r\n"))
                    .startsWith("HTTP/1.1 200");
            await().until(() -> log.lines().stream().anyMatch(l -> l.contains("asked from 198.51.100.4)")));
        }
    }

    @Test
    void aProxyHeaderFromAnUntrustedPeerClosesTheConnection() throws Exception {
        try (TestNode node = TestNode.start()) {
            assertThat(rawPost(node, "PROXY TCP4 198.51.100.4 127.0.0.1 5000 80\r\n", "")).isEmpty();
            assertThat(node.node().drain().isDraining()).isFalse();
        }
    }

    /** POSTs and DELETEs a drain with the header, and returns who the node logged as having asked. */
    private static String drainAskedFrom(TestNode node, LogCapture log, String forwardedFor) throws Exception {
        int before = log.lines().size();
        for (String method : List.of("POST", "DELETE")) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl(DrainRoutes.PATH)))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .header("X-Forwarded-For", forwardedFor).header("X-Api-Key", API_KEY).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        String line = await().until(() -> log.lines().subList(before, log.lines().size()), l -> l.size() == 2).get(0);
        return line.replaceAll(".*asked from (.*?)\\).*", "$1");
    }

    /** A request written by hand after {@code prefix}; returns what the node answered ("" if it closed). */
    private static String rawPost(TestNode node, String prefix, String headers) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.node().httpPort()));
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write((prefix + "POST " + DrainRoutes.PATH + " HTTP/1.1\r\nHost: node\r\n" + headers
                    + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (SocketException e) {
            return ""; // reset: the node closed before reading all of the request
        }
    }
}
