package io.tributary.server.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.cli.Main;
import io.tributary.server.http.ApiClient;
import io.tributary.server.testing.TestNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code tributary drain}, run against a node in this JVM. */
class DrainCommandTest {

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int status = cmd.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void drainsANodeAndEndsItSayingWhatItDid() {
        try (TestNode node = TestNode.start()) {
            String url = node.httpUrl("");
            ApiClient api = new ApiClient(node);

            Run drain = run("drain", "--node", url);

            assertThat(drain.status()).isZero();
            assertThat(drain.out()).contains("Node " + node.node().nodeId() + " is now draining: it takes no new "
                    + "publishers or players; current ones carry on.")
                    .contains("curl " + url + "/health").contains("tributary drain --off --node " + url);
            assertThat(api.get("/health").status()).isEqualTo(503);

            Run off = run("drain", "--off", "--node", url);

            assertThat(off.status()).isZero();
            assertThat(off.out()).contains("Node " + node.node().nodeId() + " no longer drains");
            assertThat(api.get("/health").status()).isEqualTo(200);
        }
    }

    @Test
    void aNodeThatAllowListsNobodyNeedsAnApiKeyAndSaysSo() {
        String key = "drain-key-0123456789abcdef";
        try (TestNode node = TestNode.builder().set("rest.allowedCidrs", "none").set("rest.apiKeys", key).start()) {
            String url = node.httpUrl("");

            Run refused = run("drain", "--node", url);
            assertThat(refused.status()).isEqualTo(1);
            assertThat(refused.err()).contains("answered 401").contains("Sign-in required");
            assertThat(node.node().drain().isDraining()).isFalse();

            Run drain = run("drain", "--node", url, "--api-key", key);
            assertThat(drain.status()).as(drain.err()).isZero();
            assertThat(node.node().drain().isDraining()).isTrue();
        }
    }

    @Test
    void aNodeThatDoesNotAnswerIsAClearError() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }

        Run drain = run("drain", "--node", "http://127.0.0.1:" + closed);

        assertThat(drain.status()).isEqualTo(1);
        assertThat(drain.err()).isEqualTo("tributary: no node answers at http://127.0.0.1:" + closed
                + " (connection refused); is it running, and is that its HTTP address?" + System.lineSeparator());
    }
}
