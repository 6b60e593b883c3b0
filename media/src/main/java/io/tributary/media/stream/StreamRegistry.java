package io.tributary.media.stream;

import io.tributary.media.StreamPath;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live streams of this node by path. Publishing here is local and immediate; whether a publish may
 * happen at all (names, broadcasts, the cluster) is decided before, by the node's stream gateway.
 */
public final class StreamRegistry {
    private static final Logger log = LoggerFactory.getLogger(StreamRegistry.class);

    private final ConcurrentHashMap<StreamPath, LiveStream> streams = new ConcurrentHashMap<>();
    private final List<StreamListener> listeners = new CopyOnWriteArrayList<>();
    private final StreamSettings settings;
    private final ScheduledExecutorService scheduler;
    private final Traffic traffic = new Traffic();

    public StreamRegistry(StreamSettings settings, ScheduledExecutorService scheduler) {
        this.settings = settings;
        this.scheduler = scheduler;
    }

    public StreamSettings settings() {
        return settings;
    }

    /** Bytes received from publishers and sent to subscribers on this node. */
    public Traffic traffic() {
        return traffic;
    }

    public void addListener(StreamListener listener) {
        listeners.add(listener);
    }

    /**
     * Makes the caller the stream's publisher, creating the stream or taking up one that waits for its
     * publisher to return.
     *
     * @param disconnector how the stream or an operator closes this publisher's connection
     * @throws StreamException BUSY when the stream already has a publisher
     */
    public Publisher publish(StreamPath path, String protocol, SocketAddress remote, Consumer<String> disconnector) {
        return publish(path, protocol, remote, disconnector, settings.republishGrace());
    }

    /**
     * As {@link #publish(StreamPath, String, SocketAddress, Consumer)}, with the time players wait for a
     * publisher after this one leaves (a relay waits the failover grace).
     */
    public Publisher publish(StreamPath path, String protocol, SocketAddress remote, Consumer<String> disconnector,
                             java.time.Duration grace) {
        while (true) {
            LiveStream stream = streams.computeIfAbsent(path, p -> new LiveStream(p, settings, scheduler, this));
            Publisher publisher = stream.attach(protocol, remote, disconnector, grace);
            if (publisher != null) {
                for (StreamListener l : listeners) {
                    try {
                        l.publishStarted(stream, publisher);
                    } catch (RuntimeException e) {
                        log.warn("stream listener failed on publish start of {}", path, e);
                    }
                }
                return publisher;
            }
            // That stream ended between lookup and attach; its removal is under way, so look again.
            streams.remove(path, stream);
        }
    }

    public Optional<LiveStream> find(StreamPath path) {
        return Optional.ofNullable(streams.get(path));
    }

    public Collection<LiveStream> streams() {
        return streams.values();
    }

    /** Ends every stream: publishers are disconnected with {@code reason}, players get the end of stream. */
    public void endAll(String reason) {
        for (LiveStream stream : streams.values()) {
            stream.end(reason);
        }
    }

    void publishStopped(LiveStream stream, Publisher publisher) {
        for (StreamListener l : listeners) {
            try {
                l.publishStopped(stream, publisher);
            } catch (RuntimeException e) {
                log.warn("stream listener failed on publish stop of {}", stream.path(), e);
            }
        }
    }

    void ended(LiveStream stream) {
        streams.remove(stream.path(), stream);
        for (StreamListener l : listeners) {
            try {
                l.streamEnded(stream);
            } catch (RuntimeException e) {
                log.warn("stream listener failed on end of {}", stream.path(), e);
            }
        }
    }
}
