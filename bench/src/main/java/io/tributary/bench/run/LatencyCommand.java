package io.tributary.bench.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tributary-bench latency}: publisher-to-player latency on one machine, directly and through a relay. */
@Command(name = "latency", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"End-to-end latency from the publisher to players, directly and through a relay.", "",
            "Publishes a marked stream and measures, for every frame each player gets, the time from the "
                + "publisher's send to the player's receipt (one clock: both run in this process), and the time "
                + "to the first frame. With --relay, a second node (the edge) pulls the stream from the first "
                + "(the origin) and players watch both at once, so the table shows what the relay hop adds.", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:measured", "1:the run could not be completed", "2:invalid command line"})
public final class LatencyCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--protocol", split = ",", paramLabel = "rtmp,flv,hls", hideParamSyntax = true,
            defaultValue = "rtmp,flv",
            description = "the players' protocols (default ${DEFAULT-VALUE})")
    private List<String> protocols;

    @Option(names = "--relay", description = "start an origin and an edge pulling from it (both Tributary, both on "
            + "the target core); publish to the origin and play from both")
    private boolean relay;

    @Option(names = "--target", paramLabel = "tributary|nginx-rtmp", defaultValue = "tributary",
            description = "the server (default ${DEFAULT-VALUE}; nginx-rtmp: rtmp only, no relay)")
    private String target;

    @Option(names = "--players", paramLabel = "N", defaultValue = "10",
            description = "players per protocol and node (default ${DEFAULT-VALUE})")
    private int players;

    @Option(names = "--warmup", paramLabel = "DURATION", defaultValue = "3s", converter = DurationConverter.class,
            description = "players play this long before the window opens (default ${DEFAULT-VALUE})")
    private Duration warmup;

    @Option(names = "--duration", paramLabel = "DURATION", defaultValue = "30s", converter = DurationConverter.class,
            description = "how long latency is measured (default ${DEFAULT-VALUE})")
    private Duration duration;

    @Option(names = "--out", paramLabel = "FILE", description = "the raw log (default "
            + "bench/results/<date>-latency-<bitrate>.txt in the repository, never replacing one)")
    private Path out;

    @Mixin
    private RunOptions run;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            validate();
        } catch (IllegalArgumentException e) {
            err.println("tributary-bench latency: " + e.getMessage());
            err.flush();
            return 2;
        }
        Path media;
        try {
            media = run.media();
        } catch (RuntimeException e) {
            err.println("tributary-bench latency: no test file: " + e.getMessage());
            err.flush();
            return 1;
        }
        Path file = out != null ? out : RunLog.unusedName(Repository.root().resolve("bench/results"),
                LocalDate.now() + "-latency-" + String.join("-", protocols)
                        + (protocols.contains("hls") ? "-" + run.hlsMode : "") + "-" + run.variant().label()
                        + (relay ? "-relay" : ""));
        try (RunLog log = RunLog.open(System.out, file)) {
            log.line("# tributary-bench latency, %s", ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME));
            log.line("command: tributary-bench %s",
                    String.join(" ", spec.commandLine().getParseResult().originalArgs()));
            log.line("machine: %s", Machine.describe());
            log.line("repository: %s", Machine.commit());
            log.line("media: %s: %s", media.getFileName(), TestMedia.describe(media).replace("\n", "; "));
            log.line("%d players per protocol %s and node, warm-up %s, window %s", players, protocols,
                    Format.duration(warmup), Format.duration(duration));
            Map<String, Target> nodes = new LinkedHashMap<>();
            try {
                Machine.checkQuiet(log);
                run.pinGenerator(log);
                startNodes(nodes);
                LatencyRun.Settings settings = new LatencyRun.Settings(protocols, players, warmup, duration,
                        Math.max(10, players * 4), 1, media, true, run.generatorCore, Duration.ofSeconds(1));
                new LatencyRun(settings, new GeneratorLoad(Duration.ZERO), log).run(nodes);
            } catch (RuntimeException e) {
                log.line("run stopped: %s", e);
                return 1;
            } finally {
                nodes.values().forEach(Target::close);
                log.line("raw log: %s", file);
            }
        }
        return 0;
    }

    private void startNodes(Map<String, Target> nodes) {
        Target origin = run.start(target);
        nodes.put(relay ? "origin" : target, origin);
        if (relay) {
            nodes.put("edge", TributaryTarget.start(run.tributary().withExtraArgs("--set",
                    "cluster.originNodes=" + origin.host() + ":" + origin.rtmpPort())));
        }
    }

    private void validate() {
        for (String p : protocols) {
            if (!p.matches("rtmp|flv|hls")) {
                throw new IllegalArgumentException("--protocol takes rtmp, flv and hls, not " + p);
            }
        }
        if (!target.equals("tributary") && !target.equals("nginx-rtmp")) {
            throw new IllegalArgumentException("--target is tributary or nginx-rtmp, not " + target);
        }
        if (target.equals("nginx-rtmp") && (protocols.contains("flv") || protocols.contains("hls"))) {
            throw new IllegalArgumentException("nginx-rtmp plays RTMP only here: add --protocol rtmp");
        }
        if (target.equals("nginx-rtmp") && relay) {
            throw new IllegalArgumentException("--relay runs two Tributary nodes; it does not go with nginx-rtmp");
        }
        if (players < 1) {
            throw new IllegalArgumentException("--players must be at least 1");
        }
        TestMedia.Variant.of(run.bitrate);
        run.validateCores();
    }
}
