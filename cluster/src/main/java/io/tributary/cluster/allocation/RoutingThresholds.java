package io.tributary.cluster.allocation;

import io.tributary.cluster.node.NodeLoad;
import java.util.Locale;
import java.util.Optional;

/**
 * How loaded a node is, judged against the seed's routing thresholds: a node above any threshold takes no
 * new players, and among the others the lower {@link #score} wins.
 *
 * <p>The score adds up the share of each threshold the node uses:
 * {@code (players + publishers + tickets) / subscribers + egressMbit / bandwidthMbit + cpuPercent / cpuPercentMax},
 * each threshold counting as at least 1. A node at half its subscriber threshold and idle otherwise scores
 * 0.5; one at every threshold scores 3. Tickets (this node's outstanding allocations to that node) count as
 * clients because they are clients on their way, which the node's last heartbeat cannot show yet.
 *
 * @param cpuPercent CPU use (percent of the machine) above which a node takes no new players
 * @param bandwidthMbit egress (Mbit/s) above which a node takes no new players
 * @param subscribers players (plus outstanding tickets) above which a node takes no new players
 */
public record RoutingThresholds(double cpuPercent, double bandwidthMbit, int subscribers) {

    /** The seed's defaults: 85 %, 8000 Mbit/s, 2000 players. */
    public static final RoutingThresholds DEFAULTS = new RoutingThresholds(85, 8000, 2000);

    public RoutingThresholds {
        if (cpuPercent < 0 || bandwidthMbit < 0 || subscribers < 0) {
            throw new IllegalArgumentException("routing thresholds cannot be negative");
        }
    }

    /** Which threshold the node is above, said for an operator; empty when it may take players. */
    public Optional<String> exceeded(NodeLoad load, int tickets) {
        double cpu = load.cpu() * 100;
        if (cpu > cpuPercent) {
            return Optional.of(String.format(Locale.ROOT, "above the cpu threshold (%.1f%% > %s%%)", cpu,
                    plain(cpuPercent)));
        }
        double egress = mbit(load);
        if (egress > bandwidthMbit) {
            return Optional.of(String.format(Locale.ROOT, "above the bandwidth threshold (%.1f > %s Mbit/s)", egress,
                    plain(bandwidthMbit)));
        }
        int players = load.players() + tickets;
        if (players > subscribers) {
            return Optional.of("above the subscriber threshold (" + load.players() + " players"
                    + (tickets > 0 ? " + " + tickets + " tickets" : "") + " > " + subscribers + ")");
        }
        return Optional.empty();
    }

    /** Lower is less loaded; see the class comment for the formula. */
    public double score(NodeLoad load, int tickets) {
        double clients = load.players() + load.publishers() + tickets;
        return clients / Math.max(1, subscribers) + mbit(load) / Math.max(1, bandwidthMbit)
                + load.cpu() * 100 / Math.max(1, cpuPercent);
    }

    private static double mbit(NodeLoad load) {
        return load.egressBitsPerSecond() / 1_000_000.0;
    }

    private static String plain(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
