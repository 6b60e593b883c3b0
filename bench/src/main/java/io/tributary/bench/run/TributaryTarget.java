package io.tributary.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Tributary node from the packaged jar, run the way an operator runs it ({@code java -jar tributary.jar
 * start}) under {@code taskset}, so the JVM and all its threads (event loops, GC, JIT) share one core.
 */
public final class TributaryTarget implements Target {
    private static final Pattern HEAP_USED = Pattern.compile("(?m)^\\s*\\S.*? total \\d+K, used (\\d+)K");
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    /**
     * How to run a node.
     *
     * @param jar {@code server/target/tributary.jar}
     * @param jvmOptions options before {@code -jar} (e.g. {@code -Xmx2g})
     * @param core the core the node runs on
     * @param extraArgs more {@code start} arguments (e.g. {@code --set cluster.originNodes=...})
     */
    public record Settings(Path jar, List<String> jvmOptions, int core, List<String> extraArgs) {
        public Settings withExtraArgs(String... args) {
            return new Settings(jar, jvmOptions, core, List.of(args));
        }
    }

    private final ChildProcess process;
    private final int rtmpPort;
    private final int httpPort;
    private final String version;

    private TributaryTarget(ChildProcess process, int rtmpPort, int httpPort, String version) {
        this.process = process;
        this.rtmpPort = rtmpPort;
        this.httpPort = httpPort;
        this.version = version;
    }

    /** Starts a node on free ports with a fresh data directory and waits until {@code /health} answers 200. */
    public static TributaryTarget start(Settings settings) {
        if (!Files.isRegularFile(settings.jar())) {
            throw new IllegalStateException(settings.jar() + " is missing: build it with ./tributary (or mvn -pl "
                    + "server -am package)");
        }
        String version = version(settings.jar());
        Path dir = TempDirs.create("tributary-target");
        int rtmp = Ports.free();
        int http = Ports.free();
        List<String> cmd = new ArrayList<>(CpuPinning.prefix(settings.core()));
        cmd.add(javaBinary());
        cmd.addAll(settings.jvmOptions());
        cmd.addAll(List.of("-jar", settings.jar().toString(), "start", "--host", HOST, "--rtmp-port",
                String.valueOf(rtmp), "--http-port", String.valueOf(http), "--data-dir",
                dir.resolve("data").toString()));
        cmd.addAll(settings.extraArgs());
        ChildProcess process = ChildProcess.start(cmd, dir, dir.resolve("node.log"));
        TributaryTarget target = new TributaryTarget(process, rtmp, http, version);
        try {
            target.awaitHealthy();
            CpuPinning.requirePinned(target.pids(), settings.core(), "the Tributary node");
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "tributary";
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int rtmpPort() {
        return rtmpPort;
    }

    @Override
    public Optional<Integer> httpFlvPort() {
        return Optional.of(httpPort);
    }

    @Override
    public List<Long> pids() {
        return List.of(process.pid());
    }

    @Override
    public String commandLine() {
        return process.commandLine();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public String deathReport() {
        return "the node " + process.state() + "; last lines of its log:\n" + process.tail(20);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }

    /** {@code jcmd PID GC.run}, then the generations' "used" figures from {@code GC.heap_info}. */
    @Override
    public OptionalLong liveHeapKb() {
        String pid = String.valueOf(process.pid());
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            if (run(jcmd, pid, "GC.run") == null) {
                return OptionalLong.empty();
            }
            String info = run(jcmd, pid, "GC.heap_info");
            return info == null ? OptionalLong.empty() : OptionalLong.of(usedHeapKb(info));
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** The sum of "total ...K, used ...K" over the heap's generations (Serial, Parallel or G1 alike). */
    static long usedHeapKb(String heapInfo) {
        Matcher m = HEAP_USED.matcher(heapInfo);
        long used = 0;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
        }
        return used;
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return p.waitFor() == 0 ? out : null;
    }

    private void awaitHealthy() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + httpPort + "/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Tributary node did not start: " + deathReport());
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the node", e);
            }
            Sleep.millis(100);
        }
        throw new IllegalStateException("the Tributary node did not answer /health within " + START_TIMEOUT.toSeconds()
                + " s; last lines of its log:\n" + process.tail(20));
    }

    /** {@code java -jar tributary.jar --version}, e.g. "tributary 0.1.0-SNAPSHOT". */
    private static String version(Path jar) {
        try {
            Process p = new ProcessBuilder(javaBinary(), "-jar", jar.toString(), "--version").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException(jar + " --version failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
