package io.tributary.bench.run;

import java.util.Comparator;
import java.util.List;

/** The markdown table of one target's levels, ordered by players, and the sentence that sums it up. */
public final class FanoutTable {
    private FanoutTable() {
    }

    public static String markdown(List<LevelRecord> levels) {
        StringBuilder sb = new StringBuilder();
        sb.append("| players | result | target CPU (% of its core, mean / max) | generator core (mean / max) "
                + "| RSS | RSS − idle | per player (RSS) | live heap per player | egress | TTFF p50 / p99 | latency p50 / p99 | min delivered "
                + "| max lag |\n");
        sb.append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        levels.stream().sorted(Comparator.comparingInt(LevelRecord::players)).forEach(r -> sb.append(String.format(
                "| %d | %s | %s / %s | %s / %s | %s | %s | %s | %s | %s | %s / %s | %s / %s | %s | %d ms |%n",
                r.players(), switch (r.verdict()) {
                    case PASSED -> "pass";
                    case FAILED -> "fail";
                    case GENERATOR_LIMITED -> "generator-limited";
                }, Format.percent(r.targetCpu().mean()), Format.percent(r.targetCpu().max()),
                Format.percent(r.generatorCore().mean()), Format.percent(r.generatorCore().max()),
                Format.megabytes(r.rssKb()), Format.megabytes(Math.max(0, r.rssKb() - r.idleRssKb())),
                Format.kilobytes(r.kbPerPlayer()),
                Double.isNaN(r.heapKbPerPlayer()) ? "–" : Format.kilobytes(r.heapKbPerPlayer()), Format.gbps(r.egressBitsPerSecond()), Format.ms(r.ttffMillis(50)),
                Format.ms(r.ttffMillis(99)), Format.ms(r.latencyMillis(50)), Format.ms(r.latencyMillis(99)),
                Format.percent(r.result().minDeliveredRatio() * 100), r.result().maxLagMillis())));
        return sb.toString();
    }

    /** "2,500 players (2,625 failed)", or why there is no such figure. */
    public static String summary(LevelStepper.Outcome o) {
        return switch (o.ending()) {
            case FOUND -> String.format("%,d players (%,d failed)", o.maxPassing(), o.minFailing());
            case LADDER_PASSED -> String.format("at least %,d players: every level passed; add higher levels",
                    o.maxPassing());
            case GENERATOR_LIMITED -> o.maxPassing() == 0
                    ? "unknown: the generator's core saturated at the first level"
                    : String.format("at least %,d players; the generator's core saturated before the target failed, "
                    + "so the limit is not known", o.maxPassing());
            case NOTHING_PASSED -> String.format("no level passed (even %,d players failed)", o.minFailing());
        };
    }
}
