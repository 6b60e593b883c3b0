package io.tributary.bench.run;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every run shares: the test file, the server's jar and JVM, and the cores. */
public final class RunOptions {
    @Option(names = "--bitrate", paramLabel = "600k|2500k", defaultValue = "600k",
            description = "which test file to publish (600k: 640x360; 2500k: 1280x720; default ${DEFAULT-VALUE})")
    String bitrate;

    @Option(names = "--media-dir", paramLabel = "DIR",
            description = "where the test files are made and kept (default bench/media in the repository)")
    Path mediaDir;

    @Option(names = "--server-jar", paramLabel = "FILE",
            description = "the Tributary jar to run (default server/target/tributary.jar in the repository)")
    Path serverJar;

    @Option(names = "--jvm-opts", paramLabel = "OPTIONS", defaultValue = "",
            description = "JVM options for Tributary nodes, in one argument (e.g. \"-Xmx2g -XX:+UseParallelGC\")")
    String jvmOpts;

    @Option(names = "--hls-mode", paramLabel = "ts|fmp4|llhls", defaultValue = "ts",
            description = "Tributary's hls.mode, for HLS players (default ${DEFAULT-VALUE}; llhls: the players use "
                    + "blocking reloads and parts)")
    String hlsMode;

    @Option(names = "--target-cpu", paramLabel = "N", defaultValue = "0",
            description = "the core the server under test runs on (default ${DEFAULT-VALUE})")
    int targetCore;

    @Option(names = "--generator-cpu", paramLabel = "N", defaultValue = "1",
            description = "the core this process (publisher and players) runs on (default ${DEFAULT-VALUE})")
    int generatorCore;

    TestMedia.Variant variant() {
        return TestMedia.Variant.of(bitrate);
    }

    Path media() {
        return TestMedia.ensure(variant(), mediaDir != null ? mediaDir : TestMedia.defaultDirectory());
    }

    TributaryTarget.Settings tributary() {
        List<String> jvm = jvmOpts.isBlank() ? List.of() : Arrays.asList(jvmOpts.trim().split("\\s+"));
        if (!hlsMode.matches("ts|fmp4|llhls")) {
            throw new IllegalArgumentException("--hls-mode is ts, fmp4 or llhls, not " + hlsMode);
        }
        return new TributaryTarget.Settings(serverJar != null ? serverJar : Repository.serverJar(), jvm, targetCore,
                List.of("--set", "hls.mode=" + hlsMode));
    }

    /** Starts {@code tributary} or {@code nginx-rtmp} on the target core. */
    Target start(String name) {
        return switch (name) {
            case "tributary" -> TributaryTarget.start(tributary());
            case "nginx-rtmp" -> NginxRtmpTarget.start(targetCore);
            default -> throw new IllegalArgumentException("unknown target " + name);
        };
    }

    void validateCores() {
        if (targetCore == generatorCore) {
            throw new IllegalArgumentException("--target-cpu and --generator-cpu must differ: the point is that the "
                    + "server and the generator do not share a core");
        }
    }

    /**
     * Pins this JVM to the generator core and says so in {@code log}. Called after the test file exists, so
     * that ffmpeg, which inherits the affinity, can use every core.
     */
    void pinGenerator(RunLog log) {
        CpuPinning.requireCores(targetCore, generatorCore);
        long pid = ProcessHandle.current().pid();
        CpuPinning.pinSelf(generatorCore);
        log.line("pinning: this generator (pid %d, %d threads) pinned to core %d with taskset -a -p; targets start "
                + "under taskset -c %d; checked in /proc/<pid>/task/*/status", pid,
                ProcFs.threadAffinities(pid).size(), generatorCore, targetCore);
    }
}
