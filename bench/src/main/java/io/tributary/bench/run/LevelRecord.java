package io.tributary.bench.run;

import io.tributary.bench.load.LevelResult;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Everything one level measured on one target, as printed per level and in the table.
 *
 * @param target the target's name
 * @param players players started
 * @param verdict how the level counts for the search
 * @param failures why it failed (empty when it passed)
 * @param targetCpu the target's processes, percent of one core
 * @param targetCore how busy the target's core was
 * @param generatorCore how busy the generator's core was (this process and anything else on that core)
 * @param generatorCpu this process (publisher and players), percent of one core
 * @param rssKb the target's resident memory, the most it had during the window
 * @param idleRssKb the target's resident memory with the publisher and no player, before the first level
 * @param heapKb for a JVM target, its heap in use after a full collection with every player still connected
 *               (-1 when not measured)
 * @param idleHeapKb the same with the publisher and no player (-1 when not measured)
 * @param egressBitsPerSecond what the target sent on its players' connections (TCP bytes acknowledged)
 * @param result what the players saw
 */
public record LevelRecord(String target, int players, LevelStepper.Verdict verdict, List<String> failures,
                          Sampler.Stat targetCpu, Sampler.Stat targetCore, Sampler.Stat generatorCore,
                          Sampler.Stat generatorCpu, long rssKb, long idleRssKb, long heapKb, long idleHeapKb,
                          double egressBitsPerSecond, LevelResult result) {

    /** Why a level with these results failed, in words; empty when it passed. */
    public static List<String> failures(LevelResult r, long gopMillis, boolean targetAlive, boolean publishing) {
        List<String> why = new ArrayList<>();
        if (!targetAlive) {
            why.add("the target died");
        }
        if (!publishing) {
            why.add("the publisher stopped");
        }
        if (r.failed() > 0) {
            why.add(r.failed() + " players failed"
                    + (r.firstError() == null ? "" : " (first: " + r.firstError() + ")"));
        }
        if (r.connected() < r.players()) {
            why.add("only " + r.connected() + " of " + r.players() + " players got a first keyframe");
        }
        if (r.playersBelow99() > 0) {
            why.add(r.playersBelow99() + " players got less than 99 % of the bytes (worst "
                    + Format.percent(r.minDeliveredRatio() * 100) + ")");
        }
        if (r.maxLagMillis() > gopMillis) {
            why.add("a player fell " + r.maxLagMillis() + " ms behind (more than the " + gopMillis + " ms GOP)");
        }
        if (why.isEmpty() && !r.passed(gopMillis)) {
            why.add("the generator judged it failed");
        }
        return why;
    }

    public boolean passed() {
        return verdict == LevelStepper.Verdict.PASSED;
    }

    /** Memory the players cost the target: RSS above the idle RSS, per player, in kilobytes. */
    public double kbPerPlayer() {
        return players == 0 ? 0 : Math.max(0, rssKb - idleRssKb) / (double) players;
    }

    /** For a JVM target, the live heap the players hold, per player, in kilobytes; NaN when not measured. */
    public double heapKbPerPlayer() {
        return players == 0 || heapKb < 0 || idleHeapKb < 0 ? Double.NaN
                : Math.max(0, heapKb - idleHeapKb) / (double) players;
    }

    /** The memory a player costs: the live heap's share for a JVM, the RSS's otherwise. */
    public double memoryKbPerPlayer() {
        double heap = heapKbPerPlayer();
        return Double.isNaN(heap) ? kbPerPlayer() : heap;
    }

    public double ttffMillis(double percentile) {
        return millis(result.ttffMicros(), percentile);
    }

    public double latencyMillis(double percentile) {
        return millis(result.latencyMicros(), percentile);
    }

    private static double millis(Histogram h, double percentile) {
        return h == null || h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }

    /** The lines printed as the level ends. */
    public String line() {
        String head = String.format("%-10s %6d players  %-4s", target, players, switch (verdict) {
            case PASSED -> "PASS";
            case FAILED -> "FAIL";
            case GENERATOR_LIMITED -> "GEN!";
        });
        String indent = " ".repeat(11);
        return head + String.format("  target cpu %s (max %s), its core %s;"
                        + " generator core %s (max %s, this process %s);"
                        + " rss %s (+%s, %s/player)%s%n%s egress %s, delivered %s; ttff p50 %s p99 %s;"
                        + " latency p50 %s p99 %s; min delivered %s; max lag %d ms",
                Format.percent(targetCpu.mean()), Format.percent(targetCpu.max()), Format.percent(targetCore.mean()),
                Format.percent(generatorCore.mean()), Format.percent(generatorCore.max()),
                Format.percent(generatorCpu.mean()), Format.megabytes(rssKb),
                Format.megabytes(Math.max(0, rssKb - idleRssKb)), Format.kilobytes(kbPerPlayer()),
                Double.isNaN(heapKbPerPlayer()) ? "" : String.format("; live heap %s (+%s, %s/player)",
                        Format.megabytes(heapKb), Format.megabytes(Math.max(0, heapKb - idleHeapKb)),
                        Format.kilobytes(heapKbPerPlayer())), indent,
                Format.gbps(egressBitsPerSecond), Format.gbps(result.bitsPerSecond()), Format.ms(ttffMillis(50)),
                Format.ms(ttffMillis(99)), Format.ms(latencyMillis(50)), Format.ms(latencyMillis(99)),
                Format.percent(result.minDeliveredRatio() * 100), result.maxLagMillis())
                + (failures.isEmpty() ? "" : String.format("%n%s failed: %s", indent, String.join("; ", failures)));
    }
}
