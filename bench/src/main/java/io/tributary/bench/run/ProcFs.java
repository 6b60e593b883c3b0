package io.tributary.bench.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading Linux's {@code /proc}: the parsers take the files' text, so tests can feed them samples; the
 * readers return empty when a process has gone (a process can end between listing and reading).
 */
public final class ProcFs {
    private static final Path PROC = Path.of("/proc");

    private ProcFs() {
    }

    /** Jiffies a core spent, from one {@code cpuN} line of {@code /proc/stat}. */
    public record CoreTicks(long busy, long total) {
        /** Share of {@code earlier..this} the core was busy, in percent (0 when no time passed). */
        public double busyPercentSince(CoreTicks earlier) {
            long total = this.total - earlier.total;
            return total <= 0 ? 0 : 100.0 * (busy - earlier.busy) / total;
        }
    }

    /**
     * The per-core lines of {@code /proc/stat}, by core number. Busy is everything but idle and iowait:
     * time stolen by a hypervisor counts as busy, since the core was not free for us either.
     */
    public static Map<Integer, CoreTicks> parseCores(String procStat) {
        Map<Integer, CoreTicks> cores = new LinkedHashMap<>();
        for (String line : procStat.split("\n")) {
            if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            int core = Integer.parseInt(f[0].substring(3));
            long total = 0;
            // user nice system idle iowait irq softirq steal (guest time is already inside user)
            for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            cores.put(core, new CoreTicks(total - idle, total));
        }
        return cores;
    }

    /**
     * utime + stime of a process, in clock ticks, from {@code /proc/<pid>/stat}. The command name may hold
     * spaces and parentheses, so fields are counted from the last ')'.
     */
    public static long parseCpuTicks(String pidStat) {
        String rest = pidStat.substring(pidStat.lastIndexOf(')') + 2);
        String[] f = rest.trim().split("\\s+");
        // rest starts at field 3 (state); utime and stime are fields 14 and 15
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** VmRSS of {@code /proc/<pid>/status}, in kilobytes; 0 for a zombie, which has none. */
    public static long parseRssKb(String pidStatus) {
        return field(pidStatus, "VmRSS:").map(v -> Long.parseLong(v.replace("kB", "").trim())).orElse(0L);
    }

    /** Cpus_allowed_list of {@code /proc/<pid>/status} or {@code /proc/<pid>/task/<tid>/status}, e.g. "0-1". */
    public static String parseCpusAllowed(String status) {
        return field(status, "Cpus_allowed_list:").orElseThrow(
                () -> new IllegalArgumentException("no Cpus_allowed_list in the status text"));
    }

    /** The soft limit on open files in {@code /proc/<pid>/limits}; -1 when unlimited or absent. */
    public static long parseOpenFilesLimit(String limits) {
        for (String line : limits.split("\n")) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.equals("unlimited") ? -1 : Long.parseLong(soft);
            }
        }
        return -1;
    }

    private static Optional<String> field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name)) {
                return Optional.of(line.substring(name.length()).trim());
            }
        }
        return Optional.empty();
    }

    // --- readers --------------------------------------------------------------------------------------

    public static Map<Integer, CoreTicks> cores() {
        return parseCores(read(PROC.resolve("stat")).orElseThrow());
    }

    /** CPU ticks of a live process, or empty when it has gone. */
    public static Optional<Long> cpuTicks(long pid) {
        return read(PROC.resolve(pid + "/stat")).map(ProcFs::parseCpuTicks);
    }

    /** RSS of a live process in kilobytes, or empty when it has gone. */
    public static Optional<Long> rssKb(long pid) {
        return read(PROC.resolve(pid + "/status")).map(ProcFs::parseRssKb);
    }

    /** The cores each thread of a process may run on, one entry per thread (empty when it has gone). */
    public static List<String> threadAffinities(long pid) {
        List<String> out = new ArrayList<>();
        try (var tasks = Files.list(PROC.resolve(pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                read(task.resolve("status")).map(ProcFs::parseCpusAllowed).ifPresent(out::add);
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the threads of " + pid + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The soft open-files limit of this process (-1 when unlimited). */
    public static long openFilesLimit() {
        return read(PROC.resolve("self/limits")).map(ProcFs::parseOpenFilesLimit).orElse(-1L);
    }

    /** Clock ticks per second for {@code /proc/<pid>/stat} (USER_HZ, 100 on every mainstream Linux build). */
    public static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    private static Optional<String> read(Path file) {
        try {
            return Optional.of(Files.readString(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH when the process ended while we read
            return Optional.empty();
        }
    }
}
