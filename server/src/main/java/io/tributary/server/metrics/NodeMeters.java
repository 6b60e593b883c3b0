package io.tributary.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tributary.cluster.node.NodeLoad;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.Traffic;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * This node's figures: the load it reports to the cluster, media bytes in and out, connections, streams,
 * publishers and players. Every value is read when Prometheus scrapes; nothing here runs per frame.
 */
final class NodeMeters {
    /** HTTP connection uses always listed (see {@code HttpServer.connectionsByUse}), besides rtmp. */
    private static final List<String> HTTP_USES = List.of("http", "http_flv", "hls", "websocket");
    private static final String CONNECTIONS = "Open connections by protocol (an HTTP connection by what its latest "
            + "request was for)";

    private final StreamRegistry streams;
    private final Supplier<NodeLoad> reported;
    private final IntSupplier rtmpConnections;
    private final Supplier<Map<String, Integer>> httpConnections;
    private final LongSupplier hlsSentBytes;

    /**
     * @param reported the load in this node's latest heartbeat, as peers and allocation see it
     * @param httpConnections open HTTP connections by use
     * @param hlsSentBytes body bytes of the HLS and DASH answers sent so far
     */
    NodeMeters(MeterRegistry registry, StreamRegistry streams, Supplier<NodeLoad> reported,
               IntSupplier rtmpConnections, Supplier<Map<String, Integer>> httpConnections, LongSupplier hlsSentBytes) {
        this.streams = streams;
        this.reported = reported;
        this.rtmpConnections = rtmpConnections;
        this.httpConnections = httpConnections;
        this.hlsSentBytes = hlsSentBytes;

        Gauge.builder("tributary.node.cpu.ratio", this, m -> m.reported.get().cpu())
                .description("Process CPU use, 0..1 of the machine, as reported in this node's latest heartbeat "
                        + "(what cluster.routing.cpuThreshold is compared with)")
                .register(registry);
        Gauge.builder("tributary.node.heap.used.ratio", this, m -> m.reported.get().memoryShare())
                .description("Heap in use as a share of the maximum heap, 0..1, as reported in this node's latest "
                        + "heartbeat")
                .register(registry);
        FunctionCounter.builder("tributary.ingress", streams.traffic(), Traffic::ingressBytes).baseUnit("bytes")
                .description("Media bytes received from publishers and relay pulls")
                .register(registry);
        FunctionCounter.builder("tributary.egress", this,
                        m -> m.streams.traffic().egressBytes() + m.hlsSentBytes.getAsLong()).baseUnit("bytes")
                .description("Media bytes sent: frames to RTMP and HTTP-FLV players and to other nodes' relay pulls, "
                        + "and HLS/DASH answers")
                .register(registry);
        Gauge.builder("tributary.streams", this, m -> m.streams.streams().size())
                .description("Live streams on this node: published here or pulled from another node")
                .register(registry);
        Gauge.builder("tributary.publishers", this, NodeMeters::publishers)
                .description("Streams published on this node by an encoder (relay pulls are not publishers)")
                .register(registry);
        for (ViewerProtocol p : ViewerProtocol.values()) {
            Gauge.builder("tributary.players", this, m -> m.players(p)).tag("protocol", p.label())
                    .description("Players on this node by protocol")
                    .register(registry);
        }
        Gauge.builder("tributary.connections", this, m -> m.rtmpConnections.getAsInt()).tag("protocol", "rtmp")
                .description(CONNECTIONS)
                .register(registry);
        for (String use : HTTP_USES) {
            Gauge.builder("tributary.connections", this, m -> m.httpConnections.get().getOrDefault(use, 0))
                    .tag("protocol", use)
                    .description(CONNECTIONS)
                    .register(registry);
        }
    }

    private int publishers() {
        int n = 0;
        for (LiveStream s : streams.streams()) {
            var publisher = s.publisher();
            if (publisher != null && !"relay".equals(publisher.protocol())) {
                n++;
            }
        }
        return n;
    }

    private int players(ViewerProtocol protocol) {
        int n = 0;
        for (LiveStream s : streams.streams()) {
            n += protocol.viewersOf(s);
        }
        return n;
    }
}
