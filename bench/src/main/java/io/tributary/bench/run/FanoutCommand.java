package io.tributary.bench.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary-bench fanout}: how many players one core serves, for Tributary and nginx-rtmp. */
@Command(name = "fanout", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How many players one core serves, for Tributary and nginx-rtmp.", "",
            "Steps the number of players on one stream until a level fails, then narrows the gap until the last "
                + "passing and the first failing level are at most 10%% apart, on each target in turn, sampling "
                + "the target's CPU, memory and egress at each level.",
            "The target runs on one core and this process (publisher and players) on the other; a level counts "
                + "only while the generator's core stays under 90%% busy over the window. A level passes when every player connects, "
                + "gets 99%% of the bytes and never falls a GOP behind.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run finished (whatever it found)", "1:the run could not be completed",
            "2:invalid command line"})
public final class FanoutCommand implements Callable<Integer> {
    static final String DEFAULT_LADDER = "250,500,1000,2000,3000,4000,6000,8000,12000,16000";
    static final double GENERATOR_LIMIT = 90;
    static final double MAX_GAP = 0.10;
    /** File descriptors this process keeps for itself besides one per player. */
    private static final int SPARE_FILES = 256;

    @Spec
    private CommandSpec spec;

    @Option(names = "--protocol", paramLabel = "rtmp|flv|hls", defaultValue = "rtmp",
            description = "how the players play (default ${DEFAULT-VALUE})")
    private String protocol;

    @Option(names = "--levels", split = ",", paramLabel = "N,N,...", hideParamSyntax = true,
            defaultValue = DEFAULT_LADDER,
            description = "the ladder of player counts, ascending (default ${DEFAULT-VALUE})")
    private List<Integer> levels;

    @Option(names = "--target", paramLabel = "tributary|nginx-rtmp|both",
            description = "what to measure (default both for rtmp, tributary for flv: nginx-rtmp has no HTTP-FLV)")
    private String target;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "players play this long before the window opens (default ${DEFAULT-VALUE})")
    private Duration warmup;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "20s", converter = DurationConverter.class,
            description = "how long each level is measured (default ${DEFAULT-VALUE})")
    private Duration window;

    @Option(names = "--settle", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "pause between levels, after the players close (default ${DEFAULT-VALUE})")
    private Duration settle;

    @Option(names = "--connects-per-second", paramLabel = "N", defaultValue = "500",
            description = "players connecting per second (default ${DEFAULT-VALUE})")
    private int connectsPerSecond;

    @Option(names = "--read-interval", paramLabel = "DURATION", defaultValue = "10ms",
            converter = DurationConverter.class, description = {"the players read at most this often, so that "
            + "each read takes several messages and the generator is not what limits the run; adds up to this "
            + "much to TTFF and latency (default ${DEFAULT-VALUE}; 0ms reads on every wake-up; the latency "
            + "command always uses 0)"})
    private Duration readInterval;

    @Option(names = "--event-loops", paramLabel = "N", defaultValue = "1",
            description = "the generator's event loops (default ${DEFAULT-VALUE}: it has one core)")
    private int eventLoops;

    @Option(names = "--out", paramLabel = "FILE", description = "the raw log (default "
            + "bench/results/<date>-fanout-<protocol>-<bitrate>.txt in the repository, never replacing one)")
    private Path out;

    @Mixin
    private RunOptions run;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<String> targets;
        try {
            targets = validate();
        } catch (IllegalArgumentException e) {
            err.println("tributary-bench fanout: " + e.getMessage());
            err.flush();
            return 2;
        }
        Path media;
        try {
            media = run.media();
        } catch (RuntimeException e) {
            err.println("tributary-bench fanout: no test file: " + e.getMessage());
            err.flush();
            return 1;
        }
        Path file = out != null ? out : RunLog.unusedName(Repository.root().resolve("bench/results"),
                LocalDate.now() + "-fanout-" + protocol + (protocol.equals("hls") ? "-" + run.hlsMode : "") + "-"
                        + run.variant().label());
        try (RunLog log = RunLog.open(System.out, file)) {
            log.line("# tributary-bench fanout, %s", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
            log.line("command: tributary-bench %s",
                    String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            log.line("machine: %s", Machine.describe());
            log.line("repository: %s", Machine.commit());
            log.line("media: %s: %s", media.getFileName(), TestMedia.describe(media).replace("\n", "; "));
            log.line("protocol %s, targets %s, levels %s, warm-up %s, window %s, settle %s, %d connects/s, %d event "
                    + "loop(s) reading every %s%s", protocol, targets, levels, Format.duration(warmup),
                    Format.duration(window), Format.duration(settle), connectsPerSecond, eventLoops,
                    Format.duration(readInterval),
                    run.jvmOpts.isBlank() ? "" : ", Tributary JVM options: " + run.jvmOpts);
            try {
                Machine.checkQuiet(log);
                run.pinGenerator(log);
                FanoutRun.Settings settings = new FanoutRun.Settings(protocol, media, levels, warmup, window, settle,
                        Duration.ofSeconds(6), connectsPerSecond, eventLoops, run.targetCore, run.generatorCore, true,
                        MAX_GAP, GENERATOR_LIMIT, Duration.ofSeconds(1));
                new FanoutRun(settings, new GeneratorLoad(readInterval), run::start, log).run(targets);
            } catch (RuntimeException e) {
                log.line("run stopped: %s", e);
                log.line("raw log: %s", file);
                return 1;
            }
            log.line("");
            log.line("raw log: %s", file);
        }
        return 0;
    }

    private List<String> validate() {
        if (!protocol.matches("rtmp|flv|hls")) {
            throw new IllegalArgumentException("--protocol is rtmp, flv or hls, not " + protocol);
        }
        String which = target != null ? target : protocol.equals("rtmp") ? "both" : "tributary";
        List<String> targets = switch (which) {
            case "both" -> List.of("tributary", "nginx-rtmp");
            case "tributary", "nginx-rtmp" -> List.of(which);
            default -> throw new IllegalArgumentException("--target is tributary, nginx-rtmp or both, not " + which);
        };
        if (!protocol.equals("rtmp") && targets.contains("nginx-rtmp")) {
            throw new IllegalArgumentException("nginx-rtmp has no HTTP-FLV, and its HLS is files for another web "
                    + "server: use --protocol rtmp, or --target tributary");
        }
        TestMedia.Variant.of(run.bitrate);
        run.validateCores();
        List<Integer> sorted = new ArrayList<>(levels);
        sorted.sort(null);
        if (levels.isEmpty() || levels.get(0) < 1 || !sorted.equals(levels)
                || sorted.stream().distinct().count() != sorted.size()) {
            throw new IllegalArgumentException("--levels must be ascending positive player counts, e.g. "
                    + DEFAULT_LADDER);
        }
        long files = ProcFs.openFilesLimit();
        int highest = levels.get(levels.size() - 1);
        if (files > 0 && highest > files - SPARE_FILES) {
            throw new IllegalArgumentException("a level of " + highest + " players needs more file descriptors than "
                    + "this process may open (" + files + "); raise it with ulimit -n, or lower the levels");
        }
        if (readInterval.isNegative() || readInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("--read-interval is 0 to 1s, not " + readInterval);
        }
        if (connectsPerSecond < 1 || eventLoops < 1) {
            throw new IllegalArgumentException("--connects-per-second and --event-loops must be at least 1");
        }
        return targets;
    }
}
