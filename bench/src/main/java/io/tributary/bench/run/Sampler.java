package io.tributary.bench.run;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Samples the machine and a target during a measurement window, on a daemon thread: how busy each core
 * was, how much of one core the target's processes used (utime + stime, summed over its processes, e.g.
 * nginx's master and worker) and their resident memory (VmRSS, summed). Each sample covers the interval
 * since the previous one; the summary gives the mean and the maximum.
 */
public final class Sampler implements AutoCloseable {
    /** Mean and maximum of one quantity over the samples (both 0 when there were none). */
    public record Stat(double mean, double max) {
        static Stat of(List<Double> values) {
            double sum = 0;
            double max = 0;
            for (double v : values) {
                sum += v;
                max = Math.max(max, v);
            }
            return values.isEmpty() ? new Stat(0, 0) : new Stat(sum / values.size(), max);
        }
    }

    /**
     * What a window looked like.
     *
     * @param samples how many intervals were sampled
     * @param coreBusy busy percent per core number
     * @param targetCpu the target's processes, percent of one core (100 = one core fully used)
     * @param targetRssKb the target's resident memory, kilobytes
     */
    public record Summary(int samples, Map<Integer, Stat> coreBusy, Stat targetCpu, Stat targetRssKb) {
        public Stat core(int core) {
            return coreBusy.getOrDefault(core, new Stat(0, 0));
        }
    }

    private final Supplier<List<Long>> pids;
    private final Duration interval;
    private final LongSupplier nanoTime;
    private final double ticksPerSecond;
    private final ScheduledExecutorService timer;
    private final Map<Integer, List<Double>> coreSamples = new TreeMap<>();
    private final List<Double> cpuSamples = new ArrayList<>();
    private final List<Double> rssSamples = new ArrayList<>();
    private Map<Integer, ProcFs.CoreTicks> lastCores;
    private Map<Long, Long> lastTicks;
    private long lastNanos;

    private Sampler(Supplier<List<Long>> pids, Duration interval, LongSupplier nanoTime, long ticksPerSecond) {
        this.pids = pids;
        this.interval = interval;
        this.nanoTime = nanoTime;
        this.ticksPerSecond = ticksPerSecond;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sampler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Takes a first reading now and one every {@code interval} until {@link #stop()}. */
    public static Sampler start(Supplier<List<Long>> pids, Duration interval) {
        Sampler s = new Sampler(pids, interval, System::nanoTime, Ticks.PER_SECOND);
        s.baseline();
        long every = interval.toNanos();
        s.timer.scheduleAtFixedRate(s::sampleSafely, every, every, TimeUnit.NANOSECONDS);
        return s;
    }

    /** Stops sampling (taking a last reading when the last interval is at least half long) and summarises. */
    public Summary stop() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (nanoTime.getAsLong() - lastNanos >= interval.toNanos() / 2) {
                sampleSafely();
            }
            Map<Integer, Stat> cores = new TreeMap<>();
            coreSamples.forEach((core, values) -> cores.put(core, Stat.of(values)));
            return new Summary(cpuSamples.size(), cores, Stat.of(cpuSamples), Stat.of(rssSamples));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The summed RSS of {@code pids} now, in kilobytes (processes that have gone count 0). */
    public static long rssKbNow(List<Long> pids) {
        long sum = 0;
        for (long pid : pids) {
            sum += ProcFs.rssKb(pid).orElse(0L);
        }
        return sum;
    }

    private synchronized void baseline() {
        lastCores = ProcFs.cores();
        lastTicks = ticks(pids.get());
        lastNanos = nanoTime.getAsLong();
    }

    private void sampleSafely() {
        try {
            sample();
        } catch (RuntimeException e) {
            // A reading that fails (a process ending mid-read) only loses that sample.
        }
    }

    private synchronized void sample() {
        List<Long> now = pids.get();
        Map<Integer, ProcFs.CoreTicks> cores = ProcFs.cores();
        Map<Long, Long> ticks = ticks(now);
        long nanos = nanoTime.getAsLong();
        double seconds = (nanos - lastNanos) / 1e9;
        cores.forEach((core, t) -> {
            ProcFs.CoreTicks before = lastCores.get(core);
            if (before != null) {
                coreSamples.computeIfAbsent(core, c -> new ArrayList<>()).add(t.busyPercentSince(before));
            }
        });
        long used = 0;
        for (Map.Entry<Long, Long> e : ticks.entrySet()) {
            Long before = lastTicks.get(e.getKey());
            if (before != null) {
                used += e.getValue() - before;
            }
        }
        cpuSamples.add(seconds <= 0 ? 0 : 100.0 * used / ticksPerSecond / seconds);
        rssSamples.add((double) rssKbNow(now));
        lastCores = cores;
        lastTicks = ticks;
        lastNanos = nanos;
    }

    private static Map<Long, Long> ticks(List<Long> pids) {
        Map<Long, Long> out = new HashMap<>();
        for (long pid : pids) {
            ProcFs.cpuTicks(pid).ifPresent(t -> out.put(pid, t));
        }
        return out;
    }

    /** Read once, when the first sampler starts. */
    private static final class Ticks {
        static final long PER_SECOND = ProcFs.clockTicksPerSecond();
    }
}
