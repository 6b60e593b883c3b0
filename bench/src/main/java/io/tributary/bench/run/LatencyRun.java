package io.tributary.bench.run;

import io.tributary.bench.load.LevelResult;
import io.tributary.bench.load.LoadSpec;
import io.tributary.bench.load.PlayerGroup;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.HdrHistogram.Histogram;

/**
 * The latency probe: one marked publisher, and a few players per protocol and per node, all watching at the
 * same time over one window, so the paths are compared under the same conditions. With a relay, the second
 * node (the edge) pulls the stream from the first (the origin) and players watch both.
 */
public final class LatencyRun {

    /**
     * How to run.
     *
     * @param protocols the players' protocols ({@code rtmp}, {@code flv})
     * @param players players per protocol and node
     * @param warmup how long they play before the window opens
     * @param window how long latency is measured
     * @param pinned whether this JVM was pinned to {@code generatorCore} (then checked again before the window)
     */
    public record Settings(List<String> protocols, int players, Duration warmup, Duration window,
                           int connectsPerSecond, int eventLoops, Path media, boolean pinned, int generatorCore,
                           Duration sampleInterval) {
    }

    /** What the players of one protocol on one node saw. */
    public record PathResult(String node, String protocol, LevelResult result) {
        double latencyMillis(double percentile) {
            return percentile(result.latencyMicros(), percentile);
        }

        double ttffMillis(double percentile) {
            return percentile(result.ttffMicros(), percentile);
        }

        private static double percentile(Histogram h, double p) {
            if (h == null || h.getTotalCount() == 0) {
                return Double.NaN;
            }
            return (p >= 100 ? h.getMaxValue() : h.getValueAtPercentile(p)) / 1000.0;
        }
    }

    private final Settings settings;
    private final Load load;
    private final RunLog log;

    public LatencyRun(Settings settings, Load load, RunLog log) {
        this.settings = settings;
        this.load = load;
        this.log = log;
    }

    /**
     * Publishes to the first of {@code nodes} (by name: "origin" and "edge", or the one target's name) and
     * measures players on each of them. The caller starts and stops the nodes.
     */
    public List<PathResult> run(Map<String, Target> nodes) {
        Target first = nodes.values().iterator().next();
        nodes.forEach((name, t) -> {
            log.line("%s: %s, pid %s, rtmp port %d%s", name, t.version(), t.pids(), t.rtmpPort(),
                    t.httpFlvPort().map(p -> ", http port " + p).orElse(""));
            log.line("%s: %s", name, t.commandLine());
        });
        Map<String, PlayerGroup> paths = new LinkedHashMap<>();
        try (Load.Publishing publishing = load.publish(first.rtmpUrl(FanoutRun.APP, FanoutRun.STREAM),
                settings.media())) {
            long gop = publishing.gopMillis();
            // a keyframe in the origin's cache before any player (or edge pull) asks for the stream
            Sleep.millis(Math.max(1000, gop));
            for (Map.Entry<String, Target> node : nodes.entrySet()) {
                for (String protocol : settings.protocols()) {
                    LoadSpec spec = new LoadSpec(protocol, node.getValue().host(), node.getValue().port(protocol),
                            FanoutRun.APP, FanoutRun.STREAM, settings.players(), settings.eventLoops(),
                            settings.connectsPerSecond());
                    paths.put(node.getKey() + " " + protocol, load.play(spec, publishing));
                }
            }
            for (Map.Entry<String, PlayerGroup> p : paths.entrySet()) {
                int playing = p.getValue().awaitPlaying(Duration.ofSeconds(30));
                if (playing < settings.players()) {
                    log.line("%s: only %d of %d players got a first keyframe", p.getKey(), playing, settings.players());
                }
            }
            if (settings.pinned()) {
                CpuPinning.requirePinned(List.of(ProcessHandle.current().pid()), settings.generatorCore(),
                        "the generator");
            }
            Sleep.of(settings.warmup());
            Map<String, Sampler> samplers = new LinkedHashMap<>();
            nodes.forEach((name, t) -> samplers.put(name, Sampler.start(t::pids, settings.sampleInterval())));
            paths.values().forEach(PlayerGroup::startWindow);
            Sleep.of(settings.window());
            samplers.forEach((name, s) -> {
                Sampler.Summary summary = s.stop();
                log.line("%s during the window: cpu %s of its core (max %s), rss %s", name,
                        Format.percent(summary.targetCpu().mean()), Format.percent(summary.targetCpu().max()),
                        Format.megabytes(Math.round(summary.targetRssKb().mean())));
            });
            List<PathResult> results = endWindows(paths, Duration.ofMillis(gop));
            nodes.forEach((name, t) -> {
                if (!t.isAlive()) {
                    log.line("%s died: %s", name, t.deathReport());
                }
            });
            log.line("");
            log.line(table(results));
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            paths.values().forEach(PlayerGroup::close);
        }
    }

    /** Closes every window at the same moment, so all paths cover the same frames. */
    private static List<PathResult> endWindows(Map<String, PlayerGroup> paths, Duration settle) {
        List<CompletableFuture<PathResult>> ends = new ArrayList<>();
        paths.forEach((key, players) -> ends.add(CompletableFuture.supplyAsync(() -> {
            try {
                String[] nodeAndProtocol = key.split(" ");
                return new PathResult(nodeAndProtocol[0], nodeAndProtocol[1], players.endWindow(settle));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        })));
        try {
            return ends.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            throw new IllegalStateException("closing a window failed: " + e.getCause(), e.getCause());
        }
    }

    static String table(List<PathResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("| node | protocol | players | latency p50 | p90 | p99 | max | TTFF p50 | TTFF p99 | min delivered "
                + "| failed |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (PathResult r : results) {
            sb.append(String.format("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %d |%n", r.node(),
                    r.protocol(), r.result().connected(), Format.ms(r.latencyMillis(50)),
                    Format.ms(r.latencyMillis(90)), Format.ms(r.latencyMillis(99)), Format.ms(r.latencyMillis(100)),
                    Format.ms(r.ttffMillis(50)), Format.ms(r.ttffMillis(99)),
                    Format.percent(r.result().minDeliveredRatio() * 100), r.result().failed()));
        }
        return sb.toString();
    }
}
