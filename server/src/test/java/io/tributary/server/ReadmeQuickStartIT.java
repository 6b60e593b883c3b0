package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.TestNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's quick-start commands exactly as written, from the repository root, waiting between
 * them as a person would (a command that needs the previous one's effect is retried until it succeeds
 * or a deadline passes), and checks what the README says each command shows.
 */
class ReadmeQuickStartIT {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theQuickStartWorksAsWritten() throws Exception {
        List<String> commands = quickStart();
        assertThat(commands).hasSize(7);
        assertPortsFree(21935, 25080);
        Path demoData = ROOT.resolve("demo-data");
        TestNode.deleteTree(demoData);
        List<ManagedProcess> background = new ArrayList<>();
        try {
            for (String line : commands) {
                String command = line.replaceAll("\\s+#.*$", "").trim();
                String expectation = line.contains("#") ? line.substring(line.indexOf('#') + 1).trim() : "";
                if (command.endsWith("&")) {
                    ManagedProcess p = ManagedProcess.start(List.of("bash", "-c", "exec " + command
                            .substring(0, command.length() - 1).trim()), ROOT);
                    background.add(p);
                    if (command.startsWith("./tributary start")) {
                        // As the README says: wait for the node to log that it started.
                        await().atMost(Duration.ofSeconds(120)).until(() -> {
                            if (!p.isAlive()) {
                                throw new AssertionError("the node exited:\n" + p.stdout() + p.stderr());
                            }
                            return p.stdout().contains("node started");
                        });
                    }
                    continue;
                }
                String output = runUntilItSucceeds(command, background);
                check(command, expectation, output);
            }
        } finally {
            // SIGTERM first so the node closes its store, then make sure nothing is left running.
            background.forEach(ManagedProcess::terminate);
            background.forEach(p -> {
                if (p.isAlive()) {
                    try {
                        p.waitFor(Duration.ofSeconds(10));
                    } catch (AssertionError ignored) {
                        // close() below forces it.
                    }
                }
                p.close();
            });
            TestNode.deleteTree(demoData);
        }
    }

    private static void check(String command, String expectation, String output) {
        if (command.startsWith("ffprobe")) {
            assertThat(expectation).isEqualTo("h264 1280x720 + aac");
            assertThat(output).contains("Video: h264", "1280x720", "Audio: aac");
        } else if (command.startsWith("curl") && command.contains("/rest/")) {
            assertThat(expectation).isEqualTo("status broadcasting");
            assertThat(output).contains("\"status\":\"broadcasting\"");
        } else if (command.startsWith("curl")) {
            assertThat(expectation).isEqualTo("the dashboard's page");
            assertThat(output).contains("<title>Tributary dashboard</title>");
        } else {
            throw new AssertionError("the quick start has a command this test does not know: " + command);
        }
    }

    /** Retries like a person who typed the next command a moment too early; fails after a minute. */
    private static String runUntilItSucceeds(String command, List<ManagedProcess> background) {
        AtomicReference<String> last = new AtomicReference<>("");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            for (ManagedProcess p : background) {
                if (!p.isAlive()) {
                    throw new AssertionError("a background command of the quick start exited early:\n"
                            + p.stdout() + p.stderr());
                }
            }
            try (ManagedProcess p = ManagedProcess.start(List.of("bash", "-c", command), ROOT)) {
                int exit = p.waitFor(Duration.ofSeconds(30));
                last.set(p.stdout() + p.stderr());
                return exit == 0 && !p.stdout().contains("\"success\":false");
            }
        });
        return last.get();
    }

    static List<String> quickStart() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int begin = readme.indexOf("<!-- quickstart:begin -->");
        int end = readme.indexOf("<!-- quickstart:end -->");
        assertThat(begin).as("README has a quick-start block").isPositive();
        List<String> lines = new ArrayList<>();
        for (String l : readme.substring(begin, end).split("\n")) {
            if (!l.isBlank() && !l.startsWith("```") && !l.startsWith("<!--")) {
                lines.add(l.trim());
            }
        }
        return lines;
    }

    private static void assertPortsFree(int... ports) {
        for (int port : ports) {
            try (ServerSocket s = new ServerSocket(port)) {
                assertThat(s.getLocalPort()).isEqualTo(port);
            } catch (IOException e) {
                throw new AssertionError("the quick start uses port " + port + ", which is taken on this machine", e);
            }
        }
    }
}
