package io.tributary.bench.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * nginx with Debian's nginx-rtmp module ({@code libnginx-mod-rtmp}), the reference the benchmark compares
 * against: one worker process, in the foreground, from a configuration written into a temporary prefix, with
 * the whole process tree under {@code taskset} and the worker's affinity set as well. It has no HTTP-FLV.
 */
public final class NginxRtmpTarget implements Target {
    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final ChildProcess master;
    private final Path prefix;
    private final int port;
    private final String version;

    private NginxRtmpTarget(ChildProcess master, Path prefix, int port, String version) {
        this.master = master;
        this.prefix = prefix;
        this.port = port;
        this.version = version;
    }

    /** Starts nginx on a free port pinned to {@code core} and waits until its worker accepts connections. */
    public static NginxRtmpTarget start(int core) {
        for (Path p : List.of(NGINX, MODULE)) {
            if (!Files.exists(p)) {
                throw new IllegalStateException(p + " is missing: install nginx-rtmp with "
                        + "apt-get install nginx libnginx-mod-rtmp (./tributary bench does it)");
            }
        }
        Path prefix = TempDirs.create("nginx-rtmp-target");
        int port = Ports.free();
        try {
            Files.writeString(prefix.resolve("nginx.conf"), config(prefix, port, core));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(CpuPinning.prefix(core));
        cmd.addAll(List.of(NGINX.toString(), "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(), "-e",
                prefix.resolve("error.log").toString()));
        ChildProcess master = ChildProcess.start(cmd, prefix, prefix.resolve("nginx.out"));
        NginxRtmpTarget target = new NginxRtmpTarget(master, prefix, port, installedVersion());
        try {
            target.awaitListening();
            CpuPinning.requirePinned(target.pids(), core, "nginx-rtmp");
            return target;
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
    }

    /** The configuration: one worker on {@code core}, RTMP on {@code 127.0.0.1:port}, application {@code live}. */
    static String config(Path prefix, int port, int core) {
        return """
                load_module %s;
                daemon off;
                master_process on;
                worker_processes 1;
                worker_cpu_affinity %s;
                worker_rlimit_nofile 20000;
                error_log %s warn;
                pid %s;

                events {
                    worker_connections 19000;
                }

                rtmp {
                    server {
                        listen %s:%d;
                        chunk_size 4096;
                        application live {
                            live on;
                        }
                    }
                }
                """.formatted(MODULE, Integer.toBinaryString(1 << core), prefix.resolve("error.log"),
                prefix.resolve("nginx.pid"), HOST, port);
    }

    @Override
    public String name() {
        return "nginx-rtmp";
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
        return port;
    }

    @Override
    public Optional<Integer> httpFlvPort() {
        return Optional.empty();
    }

    /** The master, then its workers. */
    @Override
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(master.pid());
        workers().forEach(w -> pids.add(w.pid()));
        return pids;
    }

    public long masterPid() {
        return master.pid();
    }

    public List<Long> workerPids() {
        return workers().stream().map(ProcessHandle::pid).toList();
    }

    @Override
    public String commandLine() {
        return master.commandLine();
    }

    @Override
    public boolean isAlive() {
        return master.isAlive() && !workers().isEmpty();
    }

    @Override
    public String deathReport() {
        return "nginx's master " + master.state() + " with " + workers().size() + " worker(s); last lines of its "
                + "error log:\n" + tail(prefix.resolve("error.log"));
    }

    /** Fast shutdown (SIGTERM to the master), then SIGKILL for whatever is left. */
    @Override
    public void close() {
        master.stop(Duration.ofSeconds(10));
    }

    private List<ProcessHandle> workers() {
        return master.handle().children().filter(ProcessHandle::isAlive).toList();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!master.isAlive()) {
                throw new IllegalStateException("nginx did not start: " + master.tail(20) + "\n"
                        + tail(prefix.resolve("error.log")));
            }
            if (!workers().isEmpty() && Ports.accepts(HOST, port)) {
                return;
            }
            Sleep.millis(50);
        }
        throw new IllegalStateException("nginx did not accept connections on port " + port + " within "
                + START_TIMEOUT.toSeconds() + " s: " + tail(prefix.resolve("error.log")));
    }

    /** {@code nginx/1.22.1, libnginx-mod-rtmp 1:1.2.2+dfsg-3}. */
    private static String installedVersion() {
        String nginx = run(NGINX.toString(), "-v").replace("nginx version: ", "");
        String module = run("dpkg-query", "-W", "-f", "${Version}", "libnginx-mod-rtmp");
        return nginx + ", libnginx-mod-rtmp " + (module.isEmpty() ? "(not from a Debian package)" : module);
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor(10, TimeUnit.SECONDS);
            return p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no error log)";
        }
    }
}
