package io.tributary.bench.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.tributary.bench.load.LevelResult;
import io.tributary.bench.load.LoadSpec;
import io.tributary.bench.load.PlayerGroup;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner end to end with fake servers and fake players: what it runs, prints and writes. */
class FanoutRunTest {
    private static final Map<String, Integer> LIMITS = Map.of("tributary", 2600, "nginx-rtmp", 1000);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final List<FakeTarget> started = new ArrayList<>();

    @Test
    void findsEachTargetsLimitAndPrintsATablePerTargetAndTheRatio() throws IOException {
        Path raw = dir.resolve("raw.txt");
        List<FanoutRun.TargetRun> runs;
        try (RunLog log = RunLog.open(new PrintStream(console, true, StandardCharsets.UTF_8), raw)) {
            runs = new FanoutRun(settings(List.of(500, 1000, 2000, 4000), 101), new FakeLoad(), this::start, log)
                    .run(List.of("tributary", "nginx-rtmp"));
        }

        assertThat(runs).extracting(r -> r.outcome().maxPassing()).containsExactly(2500, 1000);
        assertThat(runs.get(1).outcome().steps()).extracting(LevelStepper.Step::players)
                .containsExactly(500, 1000, 2000, 1500, 1250, 1125, 1062);
        String printed = console.toString(StandardCharsets.UTF_8);
        assertThat(Files.readString(raw)).isEqualTo(printed);
        assertThat(printed).contains("== tributary: starting on core 0", "tributary: fake 1.0, pid",
                "tributary: fake tributary",
                "idle, publishing 600k.flv (GOP 2000 ms), no players",
                "failed: 40 players got less than 99 % of the bytes (worst 90.0%)",
                "== tributary: most players 2,500 players (2,750 failed)", "### nginx-rtmp (fake 1.0), rtmp players",
                "| players | result | target CPU", "| 2500 | pass |", "| 2750 | fail |",
                "Ratio Tributary / nginx-rtmp of most players: 2,500 / 1,000 = 2.50");
        assertThat(started).allSatisfy(t -> assertThat(t.closed).isTrue());
    }

    @Test
    void aSaturatedGeneratorCoreStopsTheSearchAndSaysSo() {
        try (RunLog log = RunLog.open(new PrintStream(console, true, StandardCharsets.UTF_8), dir.resolve("raw.txt"))) {
            List<FanoutRun.TargetRun> runs = new FanoutRun(settings(List.of(500, 1000), -1), new FakeLoad(),
                    this::start, log).run(List.of("tributary"));

            assertThat(runs.get(0).outcome().ending()).isEqualTo(LevelStepper.Ending.GENERATOR_LIMITED);
            assertThat(runs.get(0).levels()).hasSize(1);
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("GEN!",
                "this level does not count and the search stops here; the generator, not tributary, is the limit",
                "unknown: the generator's core saturated at the first level");
    }

    @Test
    void aTargetThatDiesFailsItsLevelAndIsStartedAgainForTheNext() {
        FakeLoad load = new FakeLoad();
        load.killAt = 4000;
        List<FanoutRun.TargetRun> runs;
        try (RunLog log = RunLog.open(new PrintStream(console, true, StandardCharsets.UTF_8), dir.resolve("raw.txt"))) {
            runs = new FanoutRun(settings(List.of(2000, 4000), 101), load, this::start, log).run(List.of("tributary"));
        }

        assertThat(runs.get(0).outcome().maxPassing()).isEqualTo(2500);
        assertThat(started).hasSize(2);
        assertThat(console.toString(StandardCharsets.UTF_8)).contains(
                "tributary died during the level of 4000 players: fake death",
                "failed: the target died",
                "tributary: the target is not running; starting it again with its publisher (restart 1 of at most 2)");
    }

    private FanoutRun.Settings settings(List<Integer> ladder, double generatorLimit) {
        int generatorCore = ProcFs.cores().size() > 1 ? 1 : 0;
        return new FanoutRun.Settings("rtmp", Path.of("bench/media/600k.flv"), ladder, Duration.ZERO,
                Duration.ofMillis(100), Duration.ZERO, Duration.ofMillis(100), 500, 1, 0, generatorCore, false, 0.10,
                generatorLimit, Duration.ofMillis(50));
    }

    private Target start(String name) {
        FakeTarget t = new FakeTarget(name);
        started.add(t);
        return t;
    }

    /** A "server" that is this JVM, listening on a free port and accepting nothing. */
    private static final class FakeTarget implements Target {
        final String name;
        final ServerSocket socket;
        volatile boolean alive = true;
        boolean closed;

        FakeTarget(String name) {
            this.name = name;
            try {
                socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String version() {
            return "fake 1.0";
        }

        @Override
        public String host() {
            return "127.0.0.1";
        }

        @Override
        public int rtmpPort() {
            return socket.getLocalPort();
        }

        @Override
        public Optional<Integer> httpFlvPort() {
            return Optional.empty();
        }

        @Override
        public List<Long> pids() {
            return List.of(ProcessHandle.current().pid());
        }

        @Override
        public String commandLine() {
            return "fake " + name;
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public String deathReport() {
            return "fake death";
        }

        @Override
        public void close() {
            closed = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // test socket
            }
        }
    }

    /** Players that pass up to the target's limit and lose 10 % of the bytes above it. */
    private final class FakeLoad implements Load {
        int killAt = -1;

        @Override
        public Publishing publish(String rtmpUrl, Path file) {
            return new Publishing() {
                @Override
                public boolean isPublishing() {
                    return true;
                }

                @Override
                public long gopMillis() {
                    return 2000;
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public PlayerGroup play(LoadSpec spec, Publishing publishing) {
            FakeTarget target = started.stream().filter(t -> t.rtmpPort() == spec.port()).findFirst().orElseThrow();
            int n = spec.players();
            boolean ok = n <= LIMITS.get(target.name);
            return new PlayerGroup() {
                @Override
                public int awaitPlaying(Duration timeout) {
                    return n;
                }

                @Override
                public void startWindow() {
                    if (n == killAt) {
                        target.alive = false;
                    }
                }

                @Override
                public LevelResult endWindow(Duration settle) {
                    Histogram ttff = new Histogram(3);
                    Histogram latency = new Histogram(3);
                    ttff.recordValue(12_000);
                    latency.recordValue(ok ? 3_000 : 900_000);
                    return new LevelResult(n, n, 0, null, ok ? 1.0 : 0.9, ok ? 1.0 : 0.95, ok ? 0 : 40,
                            ok ? 20 : 1500, ttff, latency, n * 75_000L * 20, Duration.ofSeconds(20).toNanos());
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
