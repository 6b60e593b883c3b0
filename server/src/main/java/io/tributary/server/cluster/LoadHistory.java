package io.tributary.server.cluster;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.tributary.cluster.membership.NodeView;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.NodeState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The cluster's load over the last minutes, for the dashboard's charts ({@code GET
 * /rest/v2/cluster/load-history}). Every node already receives every node's load with the heartbeats;
 * once a period this one writes down the latest of each, so a page opened now shows the recent past at
 * once instead of starting an empty chart. A dead node has no load: its points are gaps.
 */
public final class LoadHistory {

    /** One node's load at one sample. */
    private record Point(double cpu, double memory, long egress, long ingress, int publishers, int players) {
        static Point of(NodeLoad l) {
            return new Point(percent(l.cpu()), percent(l.memoryShare()), l.egressBitsPerSecond(),
                    l.ingressBitsPerSecond(), l.publishers(), l.players());
        }
    }

    private record Sample(long time, Map<String, Point> nodes) {
    }

    /**
     * One node's series, aligned with {@link Snapshot#time()}; null where the node was unknown or dead.
     * {@code cpu} and {@code memory} are percentages.
     */
    public record Series(@JsonProperty("id") String id, @JsonProperty("cpu") List<Double> cpu,
                         @JsonProperty("memory") List<Double> memory,
                         @JsonProperty("egressBitsPerSecond") List<Long> egressBitsPerSecond,
                         @JsonProperty("ingressBitsPerSecond") List<Long> ingressBitsPerSecond,
                         @JsonProperty("publishers") List<Integer> publishers,
                         @JsonProperty("players") List<Integer> players) {
    }

    /** The answer: sample times (wall-clock ms of this node), oldest first, and every node's series. */
    public record Snapshot(@JsonProperty("periodMillis") long periodMillis, @JsonProperty("time") List<Long> time,
                           @JsonProperty("nodes") List<Series> nodes) {
    }

    private final Duration period;
    private final int capacity;
    private final LongSupplier wallClock;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** Keeps {@code window} of samples taken every {@code period}. */
    public LoadHistory(Duration window, Duration period, LongSupplier wallClock) {
        if (period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("the sample period must be positive, not " + period);
        }
        this.period = period;
        this.capacity = (int) Math.max(1, Math.min(10_000, window.toMillis() / period.toMillis()));
        this.wallClock = wallClock;
    }

    public Duration period() {
        return period;
    }

    /** Writes down the load each node that is not dead reported last; drops the oldest sample when full. */
    public synchronized void record(List<NodeView> nodes) {
        Map<String, Point> points = new LinkedHashMap<>();
        for (NodeView v : nodes) {
            if (v.state() != NodeState.DEAD) {
                points.put(v.record().id(), Point.of(v.record().load()));
            }
        }
        if (samples.size() == capacity) {
            samples.removeFirst();
        }
        samples.addLast(new Sample(wallClock.getAsLong(), points));
    }

    public synchronized Snapshot snapshot() {
        List<Long> time = new ArrayList<>(samples.size());
        Set<String> ids = new LinkedHashSet<>();
        for (Sample s : samples) {
            time.add(s.time());
            ids.addAll(s.nodes().keySet());
        }
        List<Series> series = new ArrayList<>();
        for (String id : ids) {
            series.add(new Series(id, column(id, Point::cpu), column(id, Point::memory), column(id, Point::egress),
                    column(id, Point::ingress), column(id, Point::publishers), column(id, Point::players)));
        }
        return new Snapshot(period.toMillis(), time, series);
    }

    private <T> List<T> column(String id, Function<Point, T> value) {
        List<T> values = new ArrayList<>(samples.size());
        for (Sample s : samples) {
            Point p = s.nodes().get(id);
            values.add(p == null ? null : value.apply(p));
        }
        return values;
    }

    private static double percent(double share) {
        return Math.round(share * 1000) / 10.0;
    }
}
