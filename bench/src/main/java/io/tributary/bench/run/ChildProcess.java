package io.tributary.bench.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process the benchmark started (a server under test) in a working directory of its own, with its output
 * in a file there so that a chatty server never blocks on a full pipe, and whose last lines can be shown
 * when it dies. Stopping it removes the directory. A run stopped with Ctrl-C still stops it (a shutdown
 * hook), so no server is left running on its core.
 */
final class ChildProcess {
    private final Process process;
    private final Path dir;
    private final Path output;
    private final List<String> command;
    private final Thread onExit;

    private ChildProcess(Process process, Path dir, Path output, List<String> command) {
        this.process = process;
        this.dir = dir;
        this.output = output;
        this.command = command;
        this.onExit = new Thread(() -> stop(Duration.ofSeconds(5)), "stop " + command.get(0));
        Runtime.getRuntime().addShutdownHook(onExit);
    }

    /** Starts {@code command} with stdout and stderr going to {@code output}, a file in {@code dir}. */
    static ChildProcess start(List<String> command, Path dir, Path output) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return new ChildProcess(p, dir, output, command);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** "exited with status N" or "running". */
    String state() {
        return process.isAlive() ? "running" : "exited with status " + process.exitValue();
    }

    /** The last {@code lines} lines of its output. */
    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(output, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(output unreadable: " + e.getMessage() + ")";
        }
    }

    String commandLine() {
        return String.join(" ", command);
    }

    /**
     * SIGTERM, then SIGKILL for it and anything it started if it is still there after {@code grace}; then
     * its directory goes.
     *
     * @return true when it stopped on SIGTERM
     */
    boolean stop(Duration grace) {
        if (Thread.currentThread() != onExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(onExit);
            } catch (IllegalStateException e) {
                // the JVM is already exiting: the hook runs (or ran) this as well
            }
        }
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        boolean clean = waitFor(grace);
        if (!clean) {
            process.destroyForcibly();
            waitFor(Duration.ofSeconds(10));
        }
        for (ProcessHandle h : descendants) {
            if (h.isAlive()) {
                h.destroyForcibly();
                try {
                    h.onExit().get(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // reported by whoever checks that nothing is left
                }
            }
        }
        TempDirs.delete(dir);
        return clean;
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
