package io.tributary.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.server.cluster.ClusterServices;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This node's Prometheus metrics (Micrometer): the JVM and process, the node's load, traffic, connections,
 * streams, the cluster store's call times and the cluster as this node sees it. Every name starts with
 * {@code tributary_} (the JVM and process ones too) and every series carries the node's id as {@code node}.
 * docs/operations.md lists them all.
 */
public final class NodeMetrics implements AutoCloseable {
    private static final String PREFIX = "tributary.";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    // Micrometer holds what a gauge reads weakly: these keep the meters' sources reachable.
    private NodeMeters node;
    private StreamMeters streams;
    private ClusterMeters cluster;

    public NodeMetrics(String nodeId) {
        registry.config()
                // Names Prometheus's linter (promtool check metrics) objects to: CPU time in ns (process CPU use
                // is there as a ratio) and a gauge ending in _count. Filters see names already mapped.
                .meterFilter(MeterFilter.deny(id -> id.getName().equals(PREFIX + "process.cpu.time")))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        String name = id.getName().equals("system.cpu.count") ? "system.cpus" : id.getName();
                        return name.startsWith(PREFIX) ? id : id.withName(PREFIX + name);
                    }
                })
                .commonTags("node", nodeId);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** The store, with every call timed ({@code tributary_store_query_seconds}). */
    public ClusterStore timed(ClusterStore store) {
        return new TimedClusterStore(store, registry);
    }

    /**
     * Measures the node's parts; call once, when they are built and before the HTTP listener is bound.
     *
     * @param rtmpConnections open RTMP connections
     * @param httpConnections open HTTP connections by use ({@code http}, {@code http_flv}, {@code hls},
     *     {@code websocket})
     * @param hlsSentBytes body bytes of the HLS and DASH answers sent so far
     */
    public synchronized void watch(StreamRegistry streamRegistry, ClusterServices services, IntSupplier rtmpConnections,
                                   Supplier<Map<String, Integer>> httpConnections, LongSupplier hlsSentBytes) {
        node = new NodeMeters(registry, streamRegistry, () -> reportedLoad(services), rtmpConnections,
                httpConnections, hlsSentBytes);
        streams = new StreamMeters(registry, streamRegistry);
        cluster = new ClusterMeters(registry, services.membership(), services.notifier(), services.relays());
    }

    private static NodeLoad reportedLoad(ClusterServices services) {
        return services.membership().nodes().stream().filter(v -> v.self()).findFirst()
                .map(v -> v.record().load()).orElse(NodeLoad.IDLE);
    }

    /** Everything, in the exposition format of {@code contentType} (see {@link MetricsRoute}). */
    public synchronized byte[] scrape(String contentType) {
        if (streams != null) {
            streams.refresh();
            cluster.refresh();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
        try {
            registry.scrape(out, contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public synchronized void close() {
        gc.close();
        registry.close();
    }
}
