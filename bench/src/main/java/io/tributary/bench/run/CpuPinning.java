package io.tributary.bench.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pins processes to cores with {@code taskset} and checks that it took: the server under test runs on one
 * core and the load generator (this JVM) on the other, so each side's CPU use is measured alone and
 * neither steals the other's time.
 */
public final class CpuPinning {
    private CpuPinning() {
    }

    /** The command prefix that starts a program on {@code core}: {@code taskset -c <core>}. */
    public static List<String> prefix(int core) {
        return List.of("taskset", "-c", String.valueOf(core));
    }

    /**
     * Pins every thread of {@code pid} (existing ones; new threads inherit their creator's affinity) to
     * {@code core} and checks that each one now reports only that core.
     */
    public static void pinAllThreads(long pid, int core) {
        run(List.of("taskset", "-a", "-p", "-c", String.valueOf(core), String.valueOf(pid)));
        List<String> stray = strayThreads(pid, core);
        if (!stray.isEmpty()) {
            throw new IllegalStateException("taskset did not pin process " + pid + " to core " + core
                    + ": threads allowed on " + stray);
        }
    }

    /** This JVM's threads, pinned to {@code core}. */
    public static void pinSelf(int core) {
        pinAllThreads(ProcessHandle.current().pid(), core);
    }

    /** The affinities of threads of {@code pid} that may run anywhere but {@code core} (empty when all are pinned). */
    public static List<String> strayThreads(long pid, int core) {
        List<String> stray = new ArrayList<>();
        for (String allowed : ProcFs.threadAffinities(pid)) {
            if (!allowed.equals(String.valueOf(core))) {
                stray.add(allowed);
            }
        }
        return stray;
    }

    /** Fails unless every thread of every process in {@code pids} is pinned to {@code core}. */
    public static void requirePinned(List<Long> pids, int core, String what) {
        for (long pid : pids) {
            List<String> stray = strayThreads(pid, core);
            if (!stray.isEmpty()) {
                throw new IllegalStateException(what + " (pid " + pid + ") is not pinned to core " + core
                        + ": threads allowed on " + stray);
            }
        }
    }

    /** Fails unless the machine has {@code core} and {@code taskset} can be run. */
    public static void requireCores(int... cores) {
        int available = Runtime.getRuntime().availableProcessors();
        for (int core : cores) {
            if (ProcFs.cores().get(core) == null) {
                throw new IllegalStateException("this machine has no core " + core + " (this JVM sees " + available
                        + "); pick others with --target-cpu and --generator-cpu");
            }
        }
        run(List.of("taskset", "-p", String.valueOf(ProcessHandle.current().pid())));
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out.trim());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run taskset (Debian package util-linux): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        }
    }
}
