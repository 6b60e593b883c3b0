package io.tributary.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.NodeProcess;
import io.tributary.server.testing.TestNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The first user made the way the README says, with the packaged jar: {@code tributary admin create} on a
 * stopped node's data dir, then a node started on it takes that user's sign-in and nobody else's.
 */
class AdminCommandIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private Path dataDir;

    @BeforeEach
    void dataDir() throws Exception {
        dataDir = Files.createTempDirectory("tributary-admin");
    }

    @AfterEach
    void cleanUp() {
        TestNode.deleteTree(dataDir);
    }

    @Test
    void aUserCreatedFromTheCommandLineSignsInOnTheNode() throws Exception {
        Result created = admin("correct-horse-9\n", "create", "--user", "ops", "--password-stdin");
        assertThat(created.code).as(created.output).isZero();
        assertThat(created.output).contains("user ops created");

        Result again = admin("another-password\n", "create", "--user", "ops", "--password-stdin");
        assertThat(again.code).isEqualTo(1);
        assertThat(again.output).contains("user ops already exists");
        Result shortPassword = admin("short\n", "create", "--user", "dev", "--password-stdin");
        assertThat(shortPassword.code).isEqualTo(1);
        assertThat(shortPassword.output).contains("a password is 8 to 256 characters");
        Result noTerminal = admin("", "create", "--user", "dev");
        assertThat(noTerminal.code).isEqualTo(1);
        assertThat(noTerminal.output).contains("--password-stdin");

        Result listed = admin("", "list");
        assertThat(listed.code).isZero();
        assertThat(listed.output).contains("ops\tadmin\tcreated ").doesNotContain("pbkdf2");

        try (NodeProcess node = NodeProcess.start(dataDir, "--set", "rest.allowedCidrs=none")) {
            assertThat(signIn(node, "ops", "correct-horse-9").statusCode()).isEqualTo(200);
            assertThat(signIn(node, "ops", "another-password").statusCode()).isEqualTo(401);
            Result whileRunning = admin("x-password-1\n", "create", "--user", "dev", "--password-stdin");
            assertThat(whileRunning.code).isEqualTo(1);
            assertThat(whileRunning.output).contains("in use by another Tributary node")
                    .contains("POST /rest/v2/users");
        }
    }

    private HttpResponse<String> signIn(NodeProcess node, String user, String password) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(node.httpUrl("/rest/v2/users/authenticate")))
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"" + user + "\",\"password\":\"" + password
                        + "\"}")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private record Result(int code, String output) {
    }

    /** Runs {@code tributary admin ...} on the test's data dir with {@code stdin} as its standard input. */
    private Result admin(String stdin, String... args) throws Exception {
        Path input = Files.createTempFile(dataDir, "stdin", ".txt");
        Files.writeString(input, stdin);
        List<String> command = new ArrayList<>(List.of("admin"));
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", dataDir.toString()));
        String shell = NodeProcess.command(command.toArray(String[]::new)).stream().map(AdminCommandIT::quote)
                .collect(Collectors.joining(" ")) + " < " + quote(input.toString());
        try (ManagedProcess p = ManagedProcess.start(List.of("bash", "-c", "exec " + shell))) {
            int code = p.waitFor(Duration.ofSeconds(60));
            return new Result(code, p.stdout() + p.stderr());
        }
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }
}
