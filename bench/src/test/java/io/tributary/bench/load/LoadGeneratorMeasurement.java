package io.tributary.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tributary.bench.publish.MarkedPublisher;
import io.tributary.bench.publish.PublishLog;
import io.tributary.bench.publish.TestFlvFiles;
import io.tributary.server.testing.ManagedProcess;
import io.tributary.server.testing.NodeProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measurements of the generator itself, run by hand (they take minutes and the whole machine):
 * {@code -Dbench.measure=true}, with {@code -Dbench.players=N} (2000), {@code -Dbench.protocol=rtmp|flv},
 * {@code -Dbench.target=tributary|nginx}, {@code -Dbench.seconds=S} (20), {@code -Dbench.loops=L} (1) and
 * {@code -Dbench.readIntervalMillis=M} (0, see {@link PacedIoHandler}). The server runs in its own
 * process (a node JVM on this test's class path, or nginx-rtmp) so that this JVM's heap holds only the
 * players. Prints what it measured; asserts only that every player got its bytes.
 */
@EnabledIfSystemProperty(named = "bench.measure", matches = "true")
class LoadGeneratorMeasurement {
    private static final String HOST = "127.0.0.1";

    @TempDir
    Path dir;

    @Test
    void retainedHeapCpuAndDeliveryOfManyPlayers() throws Exception {
        int players = Integer.getInteger("bench.players", 2000);
        String protocol = System.getProperty("bench.protocol", "rtmp");
        String target = System.getProperty("bench.target", "tributary");
        int seconds = Integer.getInteger("bench.seconds", 20);
        int loops = Integer.getInteger("bench.loops", 1);
        Path file = file600k();
        int rtmpPort = NodeProcess.freePort();
        int httpPort = NodeProcess.freePort();
        try (ManagedProcess server = target.equals("nginx") ? nginx(rtmpPort) : node(rtmpPort, httpPort)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                if (!server.isAlive()) {
                    throw new AssertionError(target + " exited: " + server.stdout() + server.stderr());
                }
                return listening(rtmpPort) && (target.equals("nginx") || listening(httpPort));
            });
            try (MarkedPublisher publisher = MarkedPublisher.start("rtmp://" + HOST + ":" + rtmpPort + "/live/m", file)) {
                PublishLog log = publisher.log();
                await().atMost(Duration.ofSeconds(10)).until(() -> log.nextSeq() > 0);
                long before = usedHeapAfterGc();
                LoadSpec spec = new LoadSpec(protocol, HOST, protocol.equals("flv") ? httpPort : rtmpPort, "live", "m",
                        players, loops, 1000);
                Duration readInterval = Duration.ofMillis(Long.getLong("bench.readIntervalMillis", 0));
                try (LoadGenerator generator = LoadGenerator.start(spec, log, readInterval)) {
                    int playing = generator.awaitPlaying(Duration.ofSeconds(players / 500 + 30));
                    long idle = usedHeapAfterGc();
                    System.out.printf("MEASURE %s %s: %d of %d players playing; heap %d -> %d bytes: %d bytes a player"
                                    + " (the generator's fixed costs included)%n", target, protocol, playing, players,
                            before, idle, (idle - before) / players);
                    long cpuBefore = playerThreadsCpuNanos(false);
                    long userBefore = playerThreadsCpuNanos(true);
                    long wallBefore = System.nanoTime();
                    generator.startWindow();
                    long from = log.nextSeq();
                    await().atMost(Duration.ofSeconds(seconds + 30L)).pollInterval(Duration.ofMillis(200))
                            .until(() -> log.nextSeq() >= from + seconds * 25L);
                    LevelResult level = generator.endWindow(Duration.ofMillis(log.gopMillis()));
                    long wall = System.nanoTime() - wallBefore;
                    double cpu = (double) (playerThreadsCpuNanos(false) - cpuBefore) / wall;
                    double user = (double) (playerThreadsCpuNanos(true) - userBefore) / wall;
                    System.out.printf("MEASURE %s %s: %d players, %.0f Mbit/s received, generator CPU %.2f cores"
                                    + " (%.2f user; %.1f us per player-second); min delivered %.4f, below 99 %%: %d, max lag %d ms,"
                                    + " latency p50 %d us p99 %d us max %d us, ttff p50 %d us p99 %d us, failed %d (%s),"
                                    + " passed %s%n",
                            target, protocol, players, level.bitsPerSecond() / 1e6, cpu, user, cpu * 1e6 / players,
                            level.minDeliveredRatio(), level.playersBelow99(), level.maxLagMillis(),
                            level.latencyMicros().getValueAtPercentile(50), level.latencyMicros().getValueAtPercentile(99),
                            level.latencyMicros().getMaxValue(), level.ttffMicros().getValueAtPercentile(50),
                            level.ttffMicros().getValueAtPercentile(99), level.failed(), level.firstError(),
                            level.passed(log.gopMillis()));
                    List<PlayerStatus> statuses = generator.players();
                    System.out.printf("MEASURE %s %s: %d players started on a keyframe, %d on another frame%n", target,
                            protocol, statuses.stream().filter(PlayerStatus::startedOnKeyframe).count(),
                            statuses.stream().filter(p -> p.sawVideo() && !p.startedOnKeyframe()).count());
                    assertThat(level.failed()).isZero();
                }
            }
        }
    }

    /** 640x360 25 fps at about 600 kbit/s with audio, a keyframe a second. */
    private Path file600k() {
        Path file = dir.resolve("600k.flv");
        TestFlvFiles.run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-f", "lavfi", "-i", "sine=sample_rate=44100",
                "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-b:v", "536k", "-maxrate", "536k", "-bufsize",
                "536k", "-c:a", "aac", "-b:a", "64k", "-t", "10", "-f", "flv", file.toString()));
        return file;
    }

    private ManagedProcess node(int rtmpPort, int httpPort) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-cp", System.getProperty("java.class.path"), "io.tributary.server.cli.Main", "start",
                "--host", HOST, "--rtmp-port", String.valueOf(rtmpPort), "--http-port", String.valueOf(httpPort),
                "--data-dir", Files.createDirectories(dir.resolve("node")).toString()));
        return ManagedProcess.start(cmd);
    }

    private ManagedProcess nginx(int rtmpPort) throws IOException {
        Path prefix = Files.createDirectories(dir.resolve("nginx"));
        Files.writeString(prefix.resolve("nginx.conf"), """
                load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
                daemon off;
                master_process off;
                worker_processes 1;
                error_log %1$s/error.log;
                pid %1$s/nginx.pid;
                events { worker_connections 20000; }
                rtmp { server { listen %2$s:%3$d; chunk_size 4096; application live { live on; } } }
                """.formatted(prefix, HOST, rtmpPort));
        return ManagedProcess.start(List.of("nginx", "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString()));
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(HOST, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Heap used after collections, once two in a row agree within 1 %, or the lowest seen within 10 s. */
    static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long last = Long.MAX_VALUE;
        long lowest = Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            System.gc();
            long used = memory.getHeapMemoryUsage().getUsed();
            lowest = Math.min(lowest, used);
            if (Math.abs(used - last) < used / 100) {
                return used;
            }
            last = used;
        }
        return lowest;
    }

    private static long playerThreadsCpuNanos(boolean userOnly) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("bench-players")) {
                long id = info.getThreadId();
                sum += Math.max(0, userOnly ? threads.getThreadUserTime(id) : threads.getThreadCpuTime(id));
            }
        }
        return sum;
    }
}
