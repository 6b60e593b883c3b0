package io.tributary.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A node running as its own JVM from the packaged jar, the way an operator runs it. */
public final class NodeProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final ManagedProcess process;
    private final String host;
    private final int rtmpPort;
    private final int httpPort;

    private NodeProcess(ManagedProcess process, String host, int rtmpPort, int httpPort) {
        this.process = process;
        this.host = host;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
    }

    public String host() {
        return host;
    }

    /** Starts {@code target/tributary.jar} on free loopback ports and waits until /health answers 200. */
    public static NodeProcess start(Path dataDir, String... extraArgs) {
        return start(dataDir, "127.0.0.1", freePort(), freePort(), extraArgs);
    }

    /**
     * Starts a node bound to {@code host} (any 127.x.y.z works on Linux loopback, so several nodes can use
     * the same port numbers) and waits until /health answers 200.
     */
    public static NodeProcess start(Path dataDir, String host, int rtmp, int http, String... extraArgs) {
        List<String> cmd = command("start", "--host", host, "--rtmp-port", String.valueOf(rtmp), "--http-port",
                String.valueOf(http), "--data-dir", dataDir.toString());
        cmd.addAll(List.of(extraArgs));
        NodeProcess node = new NodeProcess(ManagedProcess.start(cmd), host, rtmp, http);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!node.process.isAlive()) {
                    throw new AssertionError("node exited: " + node.process.stdout() + node.process.stderr());
                }
                return node.healthStatus() == 200;
            });
        } catch (RuntimeException | AssertionError e) {
            node.close();
            throw e;
        }
        return node;
    }

    /** The command line that runs the packaged jar with {@code args} (a subcommand and its options). */
    public static List<String> command(String... args) {
        Path jar = Path.of("target", "tributary.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after `mvn package`");
        }
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
                jar.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    public int rtmpPort() {
        return rtmpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public String rtmpUrl(String app, String streamId) {
        return "rtmp://" + host + ":" + rtmpPort + "/" + app + "/" + streamId;
    }

    public String httpUrl(String path) {
        return "http://" + host + ":" + httpPort + path;
    }

    public ManagedProcess process() {
        return process;
    }

    public int healthStatus() {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(httpUrl("/health"))).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void close() {
        process.close();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
