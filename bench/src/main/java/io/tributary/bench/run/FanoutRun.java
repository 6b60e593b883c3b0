package io.tributary.bench.run;

import io.tributary.bench.load.LevelResult;
import io.tributary.bench.load.LoadSpec;
import io.tributary.bench.load.PlayerGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The fan-out benchmark on one or more targets: one publisher per target for the whole run, and for each
 * level a set of players that connect, warm up, are measured over a window while the machine is sampled,
 * and are closed. {@link LevelStepper} decides which levels to run. The target keeps running between levels
 * and only players come and go; a target that dies is reported and started again (with its publisher).
 */
public final class FanoutRun {
    public static final String APP = "live";
    public static final String STREAM = "bench";
    private static final int MAX_RESTARTS = 2;

    /**
     * How to run.
     *
     * @param protocol the players' protocol, {@code rtmp} or {@code flv}
     * @param media the file the publisher loops
     * @param ladder levels to climb, ascending
     * @param warmup how long players play before the window opens
     * @param window how long a level is measured
     * @param settle pause after a level's players close, so the next level starts on a quiet target
     * @param idle how long the idle target (publisher, no players) is sampled for its baseline
     * @param connectsPerSecond players connecting per second
     * @param eventLoops the generator's event loops
     * @param targetCore the core the target runs on
     * @param generatorCore the core this JVM (publisher and players) runs on
     * @param pinned whether this JVM was pinned (then every level checks it still is)
     * @param maxGap how close the last passing and first failing level must be (0.10)
     * @param generatorLimit generator core busy percent from which a level does not count (90)
     * @param sampleInterval how often the sampler reads /proc
     */
    public record Settings(String protocol, Path media, List<Integer> ladder, Duration warmup, Duration window,
                           Duration settle, Duration idle, int connectsPerSecond, int eventLoops, int targetCore,
                           int generatorCore, boolean pinned, double maxGap, double generatorLimit,
                           Duration sampleInterval) {
    }

    /** Starts a target by name ({@code tributary} or {@code nginx-rtmp}). */
    @FunctionalInterface
    public interface Targets {
        Target start(String name);
    }

    /** What a run found on one target. */
    public record TargetRun(String target, String version, LevelStepper.Outcome outcome, List<LevelRecord> levels) {
    }

    private final Settings settings;
    private final Load load;
    private final Targets targets;
    private final RunLog log;

    public FanoutRun(Settings settings, Load load, Targets targets, RunLog log) {
        this.settings = settings;
        this.load = load;
        this.targets = targets;
        this.log = log;
    }

    /** Runs every target in turn, then prints a table per target and, with both, the ratio. */
    public List<TargetRun> run(List<String> targetNames) {
        List<TargetRun> runs = new ArrayList<>();
        for (String name : targetNames) {
            runs.add(runTarget(name));
        }
        log.line("");
        log.line("## Results");
        for (TargetRun run : runs) {
            log.line("");
            log.line("### %s (%s), %s players, %s", run.target(), run.version(), settings.protocol(),
                    settings.media().getFileName());
            log.line("");
            log.line(FanoutTable.markdown(run.levels()));
            log.line("Most players: %s.", FanoutTable.summary(run.outcome()));
        }
        ratio(runs);
        return runs;
    }

    private void ratio(List<TargetRun> runs) {
        TargetRun tributary = find(runs, "tributary");
        TargetRun nginx = find(runs, "nginx-rtmp");
        if (tributary == null || nginx == null) {
            return;
        }
        log.line("");
        int t = tributary.outcome().maxPassing();
        int n = nginx.outcome().maxPassing();
        String caveat = tributary.outcome().ending() == LevelStepper.Ending.FOUND
                && nginx.outcome().ending() == LevelStepper.Ending.FOUND ? ""
                : " (not both limits were found, see above: this is a bound, not a measurement)";
        log.line(n == 0 ? "Ratio Tributary / nginx-rtmp: undefined (nginx-rtmp passed no level)" + caveat
                : String.format(Locale.ROOT, "Ratio Tributary / nginx-rtmp of most players: %,d / %,d = %.2f%s", t, n,
                t / (double) n, caveat));
    }

    private static TargetRun find(List<TargetRun> runs, String name) {
        return runs.stream().filter(r -> r.target().equals(name)).findFirst().orElse(null);
    }

    private TargetRun runTarget(String name) {
        log.line("");
        log.line("== %s: starting on core %d", name, settings.targetCore());
        try (Session session = new Session(name)) {
            session.begin();
            List<LevelRecord> levels = new ArrayList<>();
            LevelStepper.Outcome outcome = new LevelStepper(settings.maxGap()).search(settings.ladder(), players -> {
                LevelRecord r = session.level(players);
                levels.add(r);
                log.line(r.line());
                if (r.verdict() == LevelStepper.Verdict.GENERATOR_LIMITED) {
                    log.line("%10s the generator's core %d was %s busy over the window (limit %s): this level does not"
                            + " count and the search stops here; the generator, not %s, is the limit", "",
                            settings.generatorCore(), Format.percent(r.generatorCore().mean()),
                            Format.percent(settings.generatorLimit()), name);
                }
                return r.verdict();
            });
            log.line("== %s: most players %s", name, FanoutTable.summary(outcome));
            return new TargetRun(name, session.target.version(), outcome, levels);
        }
    }

    /** One target with its publisher, started again if the target dies. */
    private final class Session implements AutoCloseable {
        private final String name;
        private Target target;
        private Load.Publishing publishing;
        private long idleRssKb;
        private long idleHeapKb = -1;
        private int restarts;

        Session(String name) {
            this.name = name;
        }

        void begin() {
            target = targets.start(name);
            log.line("%s: %s, pid %s, rtmp port %d%s", name, target.version(), target.pids(), target.rtmpPort(),
                    target.httpFlvPort().map(p -> ", http port " + p).orElse(""));
            log.line("%s: %s", name, target.commandLine());
            publishing = load.publish(target.rtmpUrl(APP, STREAM), settings.media());
            Sleep.of(settings.idle().dividedBy(2));
            Sampler idle = Sampler.start(target::pids, settings.sampleInterval());
            Sleep.of(settings.idle().dividedBy(2));
            Sampler.Summary s = idle.stop();
            idleRssKb = Math.round(s.targetRssKb().mean());
            idleHeapKb = target.liveHeapKb().orElse(-1);
            log.line("idle, publishing %s (GOP %d ms), no players: target cpu %s, rss %s%s",
                    settings.media().getFileName(), publishing.gopMillis(), Format.percent(s.targetCpu().mean()),
                    Format.megabytes(idleRssKb), idleHeapKb < 0 ? "" : ", live heap " + Format.megabytes(idleHeapKb));
        }

        LevelRecord level(int players) {
            if (!target.isAlive() || !publishing.isPublishing()) {
                restart(target.isAlive() ? "the publisher stopped" : "the target is not running");
            }
            long gop = publishing.gopMillis();
            LoadSpec spec = new LoadSpec(settings.protocol(), target.host(), target.port(settings.protocol()), APP,
                    STREAM, players, settings.eventLoops(), settings.connectsPerSecond());
            LevelResult result;
            Sampler.Summary sampled;
            Sampler.Summary self;
            double egress;
            long heapKb;
            try (PlayerGroup level = load.play(spec, publishing)) {
                Duration connecting = Duration.ofMillis(1000L * players / Math.max(1, settings.connectsPerSecond()))
                        .plusSeconds(30);
                level.awaitPlaying(connecting);
                requireGeneratorPinned();
                Sleep.of(settings.warmup());
                int port = target.port(settings.protocol());
                Map<String, Long> sentBefore = SocketEgress.snapshot(port);
                long from = System.nanoTime();
                Sampler sampler = Sampler.start(target::pids, settings.sampleInterval());
                Sampler generator = Sampler.start(() -> List.of(ProcessHandle.current().pid()),
                        settings.sampleInterval());
                level.startWindow();
                Sleep.of(settings.window());
                sampled = sampler.stop();
                self = generator.stop();
                Map<String, Long> sentAfter = SocketEgress.snapshot(port);
                egress = SocketEgress.between(sentBefore, sentAfter) * 8e9 / (System.nanoTime() - from);
                result = level.endWindow(Duration.ofMillis(gop));
                // after the window (a full collection pauses the target), with every player still connected
                heapKb = target.liveHeapKb().orElse(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            boolean alive = target.isAlive();
            boolean sending = publishing.isPublishing();
            // during the window, with every player connected (memory may be returned once they leave)
            long rss = Math.round(sampled.targetRssKb().max());
            List<String> failures = LevelRecord.failures(result, gop, alive, sending);
            // The window's mean: one busy sample (a collection, a scheduler hiccup) does not make the generator the
            // limit; a core that is busy for the window does.
            LevelStepper.Verdict verdict = sampled.core(settings.generatorCore()).mean() >= settings.generatorLimit()
                    ? LevelStepper.Verdict.GENERATOR_LIMITED
                    : failures.isEmpty() ? LevelStepper.Verdict.PASSED : LevelStepper.Verdict.FAILED;
            if (!alive) {
                log.line("%s died during the level of %d players: %s", name, players, target.deathReport());
            }
            Sleep.of(settings.settle());
            return new LevelRecord(name, players, verdict, failures, sampled.targetCpu(),
                    sampled.core(settings.targetCore()), sampled.core(settings.generatorCore()), self.targetCpu(), rss,
                    idleRssKb, heapKb, idleHeapKb, egress, result);
        }

        private void restart(String why) {
            if (restarts++ >= MAX_RESTARTS) {
                throw new IllegalStateException(name + ": " + why + " again after " + MAX_RESTARTS
                        + " restarts; giving up on this target");
            }
            log.line("%s: %s; starting it again with its publisher (restart %d of at most %d)", name, why, restarts,
                    MAX_RESTARTS);
            closeQuietly();
            begin();
        }

        private void requireGeneratorPinned() {
            if (settings.pinned()) {
                List<String> stray = CpuPinning.strayThreads(ProcessHandle.current().pid(), settings.generatorCore());
                if (!stray.isEmpty()) {
                    throw new IllegalStateException("threads of the generator are not pinned to core "
                            + settings.generatorCore() + ": " + stray);
                }
            }
        }

        private void closeQuietly() {
            if (publishing != null) {
                try {
                    publishing.close();
                } catch (RuntimeException e) {
                    log.line("closing the publisher: %s", e);
                }
                publishing = null;
            }
            if (target != null) {
                target.close();
            }
        }

        @Override
        public void close() {
            closeQuietly();
            log.line("== %s: stopped", name);
        }
    }
}
