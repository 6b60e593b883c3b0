package io.tributary.server.cluster;

import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.node.StreamViewers;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.Traffic;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Measures this node's load for its heartbeat: process CPU, heap, media bit rates since the previous
 * sample, publishers and players.
 */
final class NodeLoadSampler implements Supplier<NodeLoad> {
    private final StreamRegistry registry;
    private final BooleanSupplier draining;
    private final LongSupplier nanoClock;
    private final com.sun.management.OperatingSystemMXBean os;
    private long lastAt;
    private long lastIn;
    private long lastOut;

    NodeLoadSampler(StreamRegistry registry, LongSupplier nanoClock, BooleanSupplier draining) {
        this.registry = registry;
        this.draining = draining;
        this.nanoClock = nanoClock;
        var bean = ManagementFactory.getOperatingSystemMXBean();
        this.os = bean instanceof com.sun.management.OperatingSystemMXBean sun ? sun : null;
        this.lastAt = nanoClock.getAsLong();
    }

    @Override
    public synchronized NodeLoad get() {
        Traffic t = registry.traffic();
        long now = nanoClock.getAsLong();
        long in = t.ingressBytes();
        long out = t.egressBytes();
        double seconds = Math.max(0.001, (now - lastAt) / 1e9);
        long inBps = (long) ((in - lastIn) * 8 / seconds);
        long outBps = (long) ((out - lastOut) * 8 / seconds);
        lastAt = now;
        lastIn = in;
        lastOut = out;
        int publishers = 0;
        int players = 0;
        List<StreamViewers> streams = new ArrayList<>();
        for (LiveStream s : registry.streams()) {
            if (s.publisher() != null && !"relay".equals(s.publisher().protocol())) {
                publishers++;
            }
            players += s.totalViewers();
            if (s.totalViewers() > 0) {
                streams.add(new StreamViewers(s.path().toString(), s.viewerCounts()));
            }
        }
        Runtime rt = Runtime.getRuntime();
        double cpu = os == null ? 0 : Math.max(0, os.getProcessCpuLoad());
        return new NodeLoad(cpu, rt.totalMemory() - rt.freeMemory(), rt.maxMemory(), outBps, inBps, publishers,
                players, draining.getAsBoolean(), streams);
    }
}
