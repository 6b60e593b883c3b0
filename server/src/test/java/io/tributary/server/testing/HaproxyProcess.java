package io.tributary.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The real haproxy binary: checking a configuration, or running one in the foreground for a test. */
public final class HaproxyProcess implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    public static final String STATS_USER = "admin";
    public static final String STATS_PASSWORD = "test-password";

    private final ManagedProcess process;
    private final Path config;
    private final int statsPort;

    /** The output of {@code haproxy -c}; the exit status is 0 when the configuration is valid. */
    public record Check(int status, String output) {
    }

    private HaproxyProcess(ManagedProcess process, Path config, int statsPort) {
        this.process = process;
        this.config = config;
        this.statsPort = statsPort;
    }

    public static Check check(Path config) {
        try (ManagedProcess p = ManagedProcess.start(List.of(binary(), "-c", "-f", config.toString()))) {
            int status = p.waitFor(TIMEOUT);
            return new Check(status, p.stdout() + p.stderr());
        }
    }

    public static Check check(String configText) {
        Path file = write(configText);
        try {
            return check(file);
        } finally {
            file.toFile().delete();
        }
    }

    /**
     * Runs a configuration rendered for 127.0.0.1 and returns once its stats port answers. It runs as the
     * user running the tests (the user/group lines need root) and within their file descriptor limit
     * (maxconn 20000 needs about 40000).
     */
    public static HaproxyProcess run(String configText, int statsPort) {
        String asTestUser = configText.replaceAll("(?m)^    (user|group) haproxy\\n", "")
                .replace("    maxconn 20000\n", "    maxconn 1000\n");
        Path file = write(asTestUser);
        ManagedProcess p = ManagedProcess.start(List.of(binary(), "-db", "-f", file.toString()));
        HaproxyProcess haproxy = new HaproxyProcess(p, file, statsPort);
        try {
            await().atMost(TIMEOUT).until(() -> {
                if (!p.isAlive()) {
                    throw new AssertionError("haproxy exited: " + p.stdout() + p.stderr());
                }
                return listening(statsPort);
            });
            return haproxy;
        } catch (RuntimeException | Error e) {
            haproxy.close();
            throw e;
        }
    }

    /** Each server's status in each backend ("UP", "DOWN", ...), from the stats page's CSV. */
    public Map<String, String> serverStatus() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + statsPort + "/;csv"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (STATS_USER + ":" + STATS_PASSWORD).getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        String[] lines = r.body().split("\n");
        List<String> columns = List.of(lines[0].replaceFirst("^# ", "").split(","));
        Map<String, String> status = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            String server = f[columns.indexOf("svname")];
            if (!server.equals("FRONTEND") && !server.equals("BACKEND")) {
                status.put(f[columns.indexOf("pxname")] + "/" + server, f[columns.indexOf("status")]);
            }
        }
        return status;
    }

    public String log() {
        return process.stdout() + process.stderr();
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String binary() {
        for (String dir : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(dir, "haproxy"))) {
                return dir + "/haproxy";
            }
        }
        throw new AssertionError("haproxy is not installed (./tributary test installs it: apt-get install haproxy)");
    }

    private static Path write(String text) {
        try {
            Path file = Files.createTempFile("tributary-haproxy", ".cfg");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.close();
        config.toFile().delete();
    }
}
