package io.tributary.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.server.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class StartCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<Thread> hook = new AtomicReference<>();
    private final AtomicReference<NodeConfig> started = new AtomicReference<>();

    @TempDir
    Path dir;

    @Test
    void printConfigPrintsTheResolvedConfigurationAndExits() {
        StringWriter captured = new StringWriter();
        CommandLine commandLine = new CommandLine(new TributaryCommand());
        commandLine.setOut(new PrintWriter(captured));

        int status = commandLine.execute("start", "--print-config", "--rtmp-port", "1",
                "--set", "stream.republishGrace=2s");

        assertThat(status).isZero();
        assertThat(captured.toString().lines()).contains(
                "rtmp.port = 1 (flag --rtmp-port)",
                "stream.republishGrace = 2s (flag --set stream.republishGrace)",
                "http.port = 5080 (default)");
    }

    @Test
    void flagsBeatEnvironmentBeatsTheFile() throws IOException {
        Path file = Files.writeString(dir.resolve("node.yaml"),
                "rtmp:\n  port: 1001\nhttp.port: 2001\nhost: 10.1.1.1\n");

        int status = start(Map.of("TRIBUTARY_RTMP_PORT", "1002", "TRIBUTARY_HTTP_PORT", "2002"),
                "--config", file.toString(), "--rtmp-port", "1003", "--print-config");

        assertThat(status).isZero();
        assertThat(out.toString().lines()).contains(
                "rtmp.port = 1003 (flag --rtmp-port)",
                "http.port = 2002 (env TRIBUTARY_HTTP_PORT)",
                "host = 10.1.1.1 (file " + file + ")");
    }

    @Test
    void aConfigErrorIsOneLineAndExitStatusTwo() {
        int status = start(Map.of("TRIBUTARY_PLAYER_MAX_LAG", "5"), "--print-config");

        assertThat(status).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString()).isEqualTo("tributary: player.maxLag from env TRIBUTARY_PLAYER_MAX_LAG is \"5\": "
                + "write a unit, e.g. 5s or 500ms" + System.lineSeparator());
        assertThat(started).hasValue(null);
    }

    @Test
    void commandLineMistakesExitWithStatusTwo() {
        assertThat(start(Map.of(), "--set", "rtmp.port")).isEqualTo(2);
        assertThat(err.toString()).contains("--set rtmp.port: expected KEY=VALUE");

        assertThat(start(Map.of(), "--rtmp-port", "1", "--set", "rtmp.port=2")).isEqualTo(2);
        assertThat(err.toString())
                .contains("rtmp.port is given twice on the command line (--rtmp-port and --set rtmp.port)");

        assertThat(start(Map.of(), "--set", "rtmp.prot=2")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown key rtmp.prot on the command line (did you mean rtmp.port?)");

        assertThat(start(Map.of(), "--no-such-flag")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option: '--no-such-flag'");
    }

    @Test
    void aNodeThatCannotStartPrintsOneLineAndExitsWithStatusOne() {
        NodeRunner runner = runner(config -> {
            throw new IllegalStateException("cannot bind RTMP on 0.0.0.0:1935",
                    new BindException("Address already in use"));
        });

        int status = start(runner, Map.of());

        assertThat(status).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("tributary: could not start the node: cannot bind RTMP on 0.0.0.0:1935: "
                + "Address already in use" + System.lineSeparator());
        assertThat(hook).hasValue(null);
    }

    @Test
    void theStackTraceIsShownAtDebugLevel() {
        NodeRunner runner = runner(config -> {
            throw new BindException("Address already in use");
        });

        assertThat(start(runner, Map.of(), "--log-level", "debug")).isEqualTo(1);
        assertThat(err.toString()).contains("java.net.BindException: Address already in use").contains("\tat ");
        Logging.configure("INFO");
    }

    @Test
    void aStartedNodeRunsUntilTheShutdownHookStopsItAndThenLogging() {
        NodeRunner runner = runner(config -> {
            started.set(config);
            return () -> events.add("node stopped");
        });

        CompletableFuture<Integer> status = CompletableFuture.supplyAsync(
                () -> start(runner, Map.of(), "--rtmp-port", "0", "--set", "server.shutdownTimeout=1s"));
        await().until(() -> hook.get() != null);

        assertThat(started.get().rtmpPort()).isZero();
        assertThat(status).isNotDone();
        hook.get().run();

        await().until(status::isDone);
        assertThat(status.join()).isZero();
        assertThat(events).containsExactly("node stopped", "logging stopped");
    }

    @Test
    void reasonsQuoteEachCauseOnce() {
        Exception wrapped = new RuntimeException("java.net.BindException: Address already in use",
                new BindException("Address already in use"));

        assertThat(NodeRunner.reason(wrapped)).isEqualTo("java.net.BindException: Address already in use");
        assertThat(NodeRunner.reason(new NullPointerException())).isEqualTo("NullPointerException");
    }

    private NodeRunner runner(NodeStarter starter) {
        return new NodeRunner(starter, hook::set, () -> events.add("logging stopped"));
    }

    private int start(Map<String, String> env, String... args) {
        return start(runner(config -> {
            started.set(config);
            return () -> { };
        }), env, args);
    }

    private int start(NodeRunner runner, Map<String, String> env, String... args) {
        CommandLine commandLine = Main.commandLine(env, runner);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        String[] full = new String[args.length + 1];
        full[0] = "start";
        System.arraycopy(args, 0, full, 1, args.length);
        return commandLine.execute(full);
    }
}
