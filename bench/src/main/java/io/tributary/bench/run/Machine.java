package io.tributary.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The lines a raw log starts with, so a figure can be traced to the machine and the code that made it. */
public final class Machine {
    private Machine() {
    }

    /** "2 cores (AMD EPYC), 24 GiB, Debian GNU/Linux 12 (bookworm), Linux 6.1.0, OpenJDK 17.0.15". */
    public static String describe() {
        String cpu = read("/proc/cpuinfo").lines().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        long memKb = read("/proc/meminfo").lines().filter(l -> l.startsWith("MemTotal:")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).orElse(0L);
        String os = read("/etc/os-release").lines().filter(l -> l.startsWith("PRETTY_NAME=")).findFirst()
                .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", "")).orElse("unknown OS");
        return String.format("%d cores (%s), %.0f GiB, %s, Linux %s, %s %s", ProcFs.cores().size(), cpu,
                memKb / 1024.0 / 1024.0, os, System.getProperty("os.version"), System.getProperty("java.vm.name"),
                System.getProperty("java.version"));
    }

    /**
     * Samples the cores for two seconds before anything starts and warns when they are busy: another
     * process's load would be counted against the target or the generator.
     */
    public static void checkQuiet(RunLog log) {
        Sampler sampler = Sampler.start(List::of, java.time.Duration.ofMillis(250));
        Sleep.millis(2000);
        Sampler.Summary s = sampler.stop();
        StringBuilder cores = new StringBuilder();
        boolean busy = false;
        for (var e : s.coreBusy().entrySet()) {
            cores.append(cores.length() == 0 ? "" : ", ").append("core ").append(e.getKey()).append(' ')
                    .append(Format.percent(e.getValue().mean()));
            busy |= e.getValue().mean() > QUIET_PERCENT;
        }
        log.line("before the run: %s busy%s", cores, busy ? " -- WARNING: the machine is not idle; other processes "
                + "will be counted against the target or the generator, so these results are not comparable" : "");
    }

    /** A core busier than this before the run means something else is running. */
    private static final double QUIET_PERCENT = 10;

    /** The commit the repository is at, with "+changes" when the tree differs from it; "unknown" without git. */
    public static String commit() {
        Path root = Repository.root();
        String head = git(root, "rev-parse", "--short", "HEAD");
        if (head.isEmpty()) {
            return "unknown";
        }
        return head + (git(root, "status", "--porcelain", "--untracked-files=no").isEmpty() ? "" : "+changes");
    }

    private static String git(Path root, String... args) {
        try {
            List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", root.toString()));
            cmd.addAll(List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
