package io.tributary.cluster.testing;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real {@code redis-server} (or Sentinel) process for tests, on a port of its own on 127.0.0.1, with no
 * persistence, in a temporary directory that holds its log (and a Sentinel's generated config).
 *
 * <p>{@link #start} returns once the process answers PING, and fails with the process's log if it exits or
 * does not answer within {@link #STARTUP_DEADLINE}. {@link #stop} sends SIGTERM and waits; {@link #restart}
 * starts it again on the same port (for outage tests); {@link #close} stops it and deletes its directory. A
 * JVM shutdown hook kills a process a failed test left behind. {@link #pause} freezes it (SIGSTOP) to stand
 * for a hung server.
 *
 * <p>Needs {@code redis-server} on the PATH (Debian package {@code redis-server}; Sentinel runs as
 * {@code redis-server <conf> --sentinel}, so no separate binary is needed).
 */
public final class RedisProcess implements AutoCloseable {

    public static final Duration STARTUP_DEADLINE = Duration.ofSeconds(15);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final String HOST = "127.0.0.1";

    /**
     * How to start a data node.
     *
     * @param port the port, or 0 for a free one
     * @param password {@code requirepass} for the default user, or null for none
     * @param extraArgs further {@code redis-server} arguments, e.g. {@code "--maxmemory", "10mb"}
     */
    public record Options(int port, String password, List<String> extraArgs) {

        public Options {
            extraArgs = List.copyOf(extraArgs);
        }

        /** A free port, no password. */
        public static Options defaults() {
            return new Options(0, null, List.of());
        }

        public Options withPort(int newPort) {
            return new Options(newPort, password, extraArgs);
        }

        public Options withPassword(String newPassword) {
            return new Options(port, newPassword, extraArgs);
        }

        public Options withArgs(String... args) {
            return new Options(port, password, List.of(args));
        }
    }

    private final List<String> command;
    private final int port;
    private final String password;
    private final String sentinelMaster;
    private final Path dir;
    private final Path log;
    private final Thread killer;
    private volatile Process process;
    private boolean paused;

    private RedisProcess(List<String> command, int port, String password, String sentinelMaster, Path dir) {
        this.command = List.copyOf(command);
        this.port = port;
        this.password = password;
        this.sentinelMaster = sentinelMaster;
        this.dir = dir;
        this.log = dir.resolve("redis.log");
        this.killer = new Thread(this::kill, "redis-process-killer-" + port);
        Runtime.getRuntime().addShutdownHook(killer);
    }

    /** A data node on a free port, without a password. */
    public static RedisProcess start() {
        return start(Options.defaults());
    }

    public static RedisProcess start(Options options) {
        int port = options.port() == 0 ? freePort() : options.port();
        Path dir = tempDir("redis-" + port + "-");
        List<String> command = new ArrayList<>(List.of("redis-server",
                "--port", String.valueOf(port), "--bind", HOST, "--save", "", "--appendonly", "no",
                "--daemonize", "no", "--dir", dir.toString(), "--logfile", ""));
        if (options.password() != null) {
            command.addAll(List.of("--requirepass", options.password()));
        }
        command.addAll(options.extraArgs());
        return launch(new RedisProcess(command, port, options.password(), null, dir));
    }

    /**
     * A Sentinel on a free port that monitors the master {@code masterName} at 127.0.0.1:{@code masterPort}
     * with a quorum of 1. Its {@link #uri()} is the {@code redis-sentinel://} URI of that master.
     */
    public static RedisProcess startSentinel(String masterName, int masterPort) {
        int port = freePort();
        Path dir = tempDir("sentinel-" + port + "-");
        Path conf = dir.resolve("sentinel.conf");
        // Sentinel rewrites its config file at run time, so it must be a writable file of its own.
        String config = String.join("\n",
                "port " + port,
                "bind " + HOST,
                "daemonize no",
                "logfile \"\"",
                "dir " + dir,
                "sentinel monitor " + masterName + " " + HOST + " " + masterPort + " 1",
                "sentinel down-after-milliseconds " + masterName + " 5000",
                "");
        try {
            Files.writeString(conf, config, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + conf, e);
        }
        List<String> command = List.of("redis-server", conf.toString(), "--sentinel");
        return launch(new RedisProcess(command, port, null, masterName, dir));
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:port}. */
    public String address() {
        return HOST + ":" + port;
    }

    /**
     * The URI a client connects with: {@code redis://[password@]127.0.0.1:port} for a data node,
     * {@code redis-sentinel://127.0.0.1:port/0#masterName} for a Sentinel.
     */
    public String uri() {
        if (sentinelMaster != null) {
            return "redis-sentinel://" + address() + "/0#" + sentinelMaster;
        }
        return "redis://" + (password == null ? "" : password + "@") + address();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** What the process has logged so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /**
     * Freezes the process (SIGSTOP): its connections stay open but nothing answers, as with a hung server or
     * a network that drops packets. {@link #resume} undoes it; {@link #stop} and {@link #close} resume first.
     */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause}d process run again (SIGCONT). */
    public synchronized void resume() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    /** Sends SIGTERM and waits for the process to exit (SIGKILL if it does not within 10 s). */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        resume();
        process.destroy();
        try {
            if (!process.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the process again, on the same port and with the same options, after {@link #stop}. */
    public synchronized void restart() {
        stop();
        startProcess();
    }

    private void signal(String name) {
        if (process == null) {
            throw new IllegalStateException(this + " is not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                    .redirectErrorStream(true).start();
            if (!kill.waitFor(STOP_DEADLINE.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
                kill.destroyForcibly();
                throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run kill", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while signalling " + this, e);
        }
    }

    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: nothing left to remove.
        }
        deleteRecursively(dir);
    }

    @Override
    public String toString() {
        return (sentinelMaster != null ? "sentinel " : "redis ") + address();
    }

    private static RedisProcess launch(RedisProcess redis) {
        try {
            redis.startProcess();
            return redis;
        } catch (RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    private synchronized void startProcess() {
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + " (is redis-server installed?)", e);
        }
        Process started = process;
        try {
            await().atMost(STARTUP_DEADLINE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> !started.isAlive() || answersPing());
        } catch (ConditionTimeoutException e) {
            stop();
            throw new IllegalStateException(this + " did not answer PING within " + STARTUP_DEADLINE + ":\n" + output());
        }
        if (!started.isAlive()) {
            process = null;
            throw new IllegalStateException(this + " exited with " + started.exitValue() + " during start-up:\n"
                    + output());
        }
    }

    /** True when the server answers an inline PING with PONG, or with NOAUTH (it is up, but wants a password). */
    private boolean answersPing() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500);
            socket.setSoTimeout(500);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            return reply != null && (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH"));
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The shutdown hook: unsynchronised, so it never waits behind a stuck test thread. */
    private void kill() {
        Process p = process;
        if (p != null) {
            p.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for redis-server", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover temporary directory is harmless; a test must not fail for it.
        }
    }
}
