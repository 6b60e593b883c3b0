package io.tributary.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The series of each live stream ({@code app} and {@code stream} tags): viewers by protocol, ingest bit rate,
 * frames dropped for slow players. They are brought in line with the node's streams just before each scrape,
 * so an ended stream's series are gone from the next scrape on, and nothing accumulates between scrapes.
 */
final class StreamMeters {

    /** The meters of one stream, bound to that LiveStream (a stream started again gets new ones). */
    private record Registered(LiveStream stream, List<Meter> meters) {
    }

    private final MeterRegistry registry;
    private final StreamRegistry streams;
    /** Touched only under {@code this}: scrapes are serialised. */
    private final Map<StreamPath, Registered> registered = new HashMap<>();

    StreamMeters(MeterRegistry registry, StreamRegistry streams) {
        this.registry = registry;
        this.streams = streams;
    }

    /** Adds the series of new streams and removes those of streams that ended. */
    synchronized void refresh() {
        Map<StreamPath, LiveStream> live = new HashMap<>();
        for (LiveStream s : streams.streams()) {
            if (!s.isEnded()) {
                live.put(s.path(), s);
            }
        }
        for (Iterator<Map.Entry<StreamPath, Registered>> it = registered.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<StreamPath, Registered> e = it.next();
            if (live.get(e.getKey()) != e.getValue().stream()) {
                e.getValue().meters().forEach(registry::remove);
                it.remove();
            }
        }
        live.forEach((path, stream) -> registered.computeIfAbsent(path, p -> register(stream)));
    }

    private Registered register(LiveStream stream) {
        Tags tags = Tags.of("app", stream.path().app(), "stream", stream.path().streamId());
        List<Meter> meters = new ArrayList<>();
        for (ViewerProtocol p : ViewerProtocol.values()) {
            meters.add(Gauge.builder("tributary.stream.viewers", stream, p::viewersOf)
                    .tags(tags).tag("protocol", p.label())
                    .description("Viewers of a stream on this node by protocol")
                    .strongReference(true)
                    .register(registry));
        }
        meters.add(Gauge.builder("tributary.stream.ingest.bits.per.second", stream, StreamMeters::ingestBitrate)
                .tags(tags)
                .description("What the stream's publisher (or this node's relay pull) sent over the last five "
                        + "seconds, in bits per second; 0 while it waits for a publisher")
                .strongReference(true)
                .register(registry));
        meters.add(FunctionCounter.builder("tributary.stream.dropped.frames", stream,
                        LiveStream::droppedFramesForSlowPlayers)
                .tags(tags)
                .description("Frames of the stream that players on this node did not get because they fell "
                        + "behind (skipped to the next keyframe)")
                .register(registry));
        return new Registered(stream, meters);
    }

    private static double ingestBitrate(LiveStream stream) {
        Publisher p = stream.publisher();
        return p == null ? 0 : p.bitrate();
    }
}
