package io.tributary.media.stream;

import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live stream on this node: at most one publisher, any number of subscribers, the codec
 * configurations and metadata, and the current GOP so that a new player starts on a keyframe at once.
 *
 * <p>Timestamps are moved onto one stream timeline that starts at zero and never goes backwards, even
 * when the publisher restarts or its clock jumps; each subscriber then starts its own output near zero.
 */
public final class LiveStream {
    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);

    /** A publisher clock that jumps back by more than this, or forward by more, is a discontinuity. */
    private static final long MAX_BACKWARD_MS = 1_000;
    private static final long MAX_FORWARD_MS = 10_000;
    /** Gap put between the last frame of one publisher and the first of the next. */
    private static final long REBASE_GAP_MS = 40;

    private enum State { LIVE, IDLE, ENDED }

    private final StreamPath path;
    private final StreamSettings settings;
    private final ScheduledExecutorService scheduler;
    private final StreamRegistry registry;
    private final long createdAtMillis = System.currentTimeMillis();
    private final Object lock = new Object();
    private final Map<String, AtomicInteger> viewers = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private final LongAdder droppedForSlowPlayers = new LongAdder();

    // Guarded by lock.
    private State state = State.IDLE;
    private Publisher publisher;
    private Frame metadata;
    private Frame videoConfig;
    private Frame audioConfig;
    private final ArrayList<Frame> gop = new ArrayList<>();
    private long gopBytes;
    private boolean gopOpen;
    private boolean hasVideo;
    private boolean hasAudio;
    private long lastDts = -1;
    private long offset;
    private boolean rebase = true;
    private final Map<EventExecutor, FanoutGroup> groups = new HashMap<>();
    private ScheduledFuture<?> graceTimer;
    private volatile StreamInfo info = StreamInfo.EMPTY;

    LiveStream(StreamPath path, StreamSettings settings, ScheduledExecutorService scheduler, StreamRegistry registry) {
        this.path = path;
        this.settings = settings;
        this.scheduler = scheduler;
        this.registry = registry;
    }

    public StreamPath path() {
        return path;
    }

    public StreamInfo info() {
        return info;
    }

    Traffic traffic() {
        return registry.traffic();
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** The current publisher, or null while the stream waits for one. */
    public Publisher publisher() {
        synchronized (lock) {
            return publisher;
        }
    }

    public boolean isEnded() {
        synchronized (lock) {
            return state == State.ENDED;
        }
    }

    /** Current viewers by protocol ("rtmp", "flv", ...); relays are not viewers. */
    public int viewers(String protocol) {
        AtomicInteger n = viewers.get(protocol);
        return n == null ? 0 : n.get();
    }

    /**
     * Sets the viewer count of a protocol whose viewers are not subscribers: HLS and DASH players are
     * counted by the requests they make, while one muxer subscribes for all of them.
     */
    public void setViewers(String protocol, int count) {
        viewers.computeIfAbsent(protocol, p -> new AtomicInteger()).set(Math.max(0, count));
    }

    /** Viewers by protocol, without protocols that have none. */
    public Map<String, Integer> viewerCounts() {
        Map<String, Integer> counts = new java.util.TreeMap<>();
        viewers.forEach((protocol, n) -> {
            if (n.get() > 0) {
                counts.put(protocol, n.get());
            }
        });
        return counts;
    }

    public int totalViewers() {
        return viewers.values().stream().mapToInt(AtomicInteger::get).sum();
    }

    /**
     * Adds a subscriber; it first gets a snapshot (configurations, metadata, GOP), then every frame
     * after it, with no gap and no repeat.
     *
     * @throws StreamException NOT_FOUND when the stream has already ended
     */
    public Subscription subscribe(Subscriber subscriber) {
        synchronized (lock) {
            if (state == State.ENDED) {
                throw new StreamException(StreamException.Reason.NOT_FOUND, "stream " + path + " has ended");
            }
            StreamSnapshot snapshot = new StreamSnapshot(hasVideo, hasAudio, publisher != null,
                    retained(metadata), retained(videoConfig), retained(audioConfig), retainedGop());
            FanoutGroup group = groups.computeIfAbsent(subscriber.executor(), FanoutGroup::new);
            Subscription subscription = new Subscription(this, subscriber, group);
            subscribers.incrementAndGet();
            if (subscriber.isViewer()) {
                viewers.computeIfAbsent(subscriber.protocol(), p -> new AtomicInteger()).incrementAndGet();
            }
            group.post(new FanoutGroup.Join(group, subscription, snapshot));
            return subscription;
        }
    }

    void unsubscribed(Subscription subscription) {
        if (subscription.subscriber().isViewer()) {
            viewers.get(subscription.subscriber().protocol()).decrementAndGet();
        }
        boolean endNow;
        synchronized (lock) {
            endNow = subscribers.decrementAndGet() == 0 && state == State.IDLE && graceTimer != null;
        }
        if (endNow) {
            end("last subscriber left while waiting for a publisher");
        }
    }

    /**
     * Frames this stream's players did not get because they fell behind: the queue they skipped and the
     * frames up to the keyframe they resumed at. Players that start or resume at a keyframe by design
     * (no cached GOP, a returning publisher) are not counted.
     */
    public long droppedFramesForSlowPlayers() {
        return droppedForSlowPlayers.sum();
    }

    void droppedForSlowPlayer(long frames) {
        droppedForSlowPlayers.add(frames);
    }

    /** Everyone receiving the stream: viewers plus relays and muxers. */
    public int subscriberCount() {
        return subscribers.get();
    }

    /** Returns the new publisher, null if the stream has just ended (the caller retries on a fresh one). */
    Publisher attach(String protocol, SocketAddress remote, Consumer<String> disconnector, Duration grace) {
        Publisher p;
        boolean returned;
        synchronized (lock) {
            if (state == State.ENDED) {
                return null;
            }
            if (publisher != null) {
                throw new StreamException(StreamException.Reason.BUSY,
                        "stream " + path + " is already being published from " + publisher.remote());
            }
            p = new Publisher(this, protocol, remote, disconnector, grace);
            publisher = p;
            // Players are waiting for a publisher exactly while the grace timer runs.
            returned = graceTimer != null;
            state = State.LIVE;
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            rebase = true;
            // A new encoder brings its own configuration; stale ones must not reach new players.
            releaseCaches();
            hasVideo = false;
            hasAudio = false;
            info = StreamInfo.EMPTY;
            if (returned) {
                postAll(StreamEvent.PUBLISHER_RETURNED);
            }
        }
        return p;
    }

    void detach(Publisher p) {
        boolean endNow = false;
        synchronized (lock) {
            if (publisher != p || state == State.ENDED) {
                return;
            }
            publisher = null;
            state = State.IDLE;
            postAll(StreamEvent.PUBLISHER_LEFT);
            if (subscribers.get() == 0) {
                endNow = true;
            } else {
                long grace = p.grace().toMillis();
                graceTimer = scheduler.schedule(() -> end("no publisher returned within " + grace + " ms"), grace,
                        TimeUnit.MILLISECONDS);
            }
        }
        registry.publishStopped(this, p);
        if (endNow) {
            end("publisher left and nobody was watching");
        }
    }

    void accept(Publisher from, Frame incoming) {
        synchronized (lock) {
            if (publisher != from) {
                incoming.release();
                return;
            }
            Frame frame = incoming.withDts(toStreamTime(incoming.dts()));
            remember(frame);
            postAll(frame);
        }
    }

    void acceptMetadata(Publisher from, Frame incoming, Map<String, Object> values) {
        synchronized (lock) {
            if (publisher != from) {
                incoming.release();
                return;
            }
            Frame frame = incoming.withDts(Math.max(lastDts, 0));
            if (metadata != null) {
                metadata.release();
            }
            metadata = frame.retain();
            Object fps = values.get("framerate");
            if (fps instanceof Number n) {
                info = info.withFrameRate(n.doubleValue());
            }
            postAll(frame);
        }
    }

    /** Ends the stream now: subscribers finish and close, the publisher (if any) is disconnected. */
    public void end(String why) {
        Publisher p;
        synchronized (lock) {
            if (state == State.ENDED) {
                return;
            }
            state = State.ENDED;
            p = publisher;
            publisher = null;
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            postAll(StreamEvent.ENDED);
            releaseCaches();
        }
        log.debug("stream {} ended: {}", path, why);
        if (p != null) {
            p.disconnect(why);
            registry.publishStopped(this, p);
        }
        registry.ended(this);
    }

    private long toStreamTime(long publisherDts) {
        if (rebase) {
            offset = (lastDts < 0 ? 0 : lastDts + REBASE_GAP_MS) - publisherDts;
            rebase = false;
        }
        long dts = publisherDts + offset;
        if (lastDts >= 0 && (dts < lastDts - MAX_BACKWARD_MS || dts > lastDts + MAX_FORWARD_MS)) {
            log.debug("stream {}: publisher clock jumped from {} to {} ms; continuing the timeline", path,
                    lastDts, dts);
            offset = lastDts + REBASE_GAP_MS - publisherDts;
            dts = lastDts + REBASE_GAP_MS;
        }
        // A frame a little older than the very first one (audio interleaved before the first picture)
        // must not take the timeline below zero.
        dts = Math.max(dts, 0);
        if (dts > lastDts) {
            lastDts = dts;
        }
        return dts;
    }

    /** Keeps configurations and the current GOP for players that join later. */
    private void remember(Frame frame) {
        if (frame.isVideo()) {
            hasVideo = true;
        } else if (frame.isAudio()) {
            hasAudio = true;
        }
        if (frame.isConfig()) {
            if (frame.isVideo()) {
                replaceConfig(frame, true);
                info = info.withVideo(frame);
            } else if (frame.isAudio()) {
                replaceConfig(frame, false);
                info = info.withAudio(frame);
            }
            return;
        }
        if (frame.type() != Frame.Type.CODED) {
            return;
        }
        info = info.withCodecOf(frame);
        if (frame.isVideo() && frame.isKeyframe()) {
            clearGop();
            gopOpen = true;
        }
        if (!gopOpen) {
            return;
        }
        gop.add(frame.retain());
        gopBytes += frame.size();
        if (gopBytes > settings.gopCacheMaxBytes()) {
            log.debug("stream {}: GOP exceeds {} bytes; not caching it", path, settings.gopCacheMaxBytes());
            clearGop();
        }
    }

    private void replaceConfig(Frame frame, boolean video) {
        Frame old = video ? videoConfig : audioConfig;
        if (old != null) {
            old.release();
        }
        if (video) {
            videoConfig = frame.retain();
        } else {
            audioConfig = frame.retain();
        }
    }

    private void clearGop() {
        for (Frame f : gop) {
            f.release();
        }
        gop.clear();
        gopBytes = 0;
        gopOpen = false;
    }

    private void releaseCaches() {
        clearGop();
        for (Frame f : new Frame[] {metadata, videoConfig, audioConfig}) {
            if (f != null) {
                f.release();
            }
        }
        metadata = null;
        videoConfig = null;
        audioConfig = null;
    }

    /** Hands the frame (the caller's reference stays with the caller) or event to every event loop group. */
    private void postAll(Object item) {
        Collection<FanoutGroup> all = groups.values();
        if (item instanceof Frame frame) {
            for (FanoutGroup g : all) {
                g.post(frame.retain());
            }
            frame.release();
        } else {
            for (FanoutGroup g : all) {
                g.post(item);
            }
        }
    }

    private List<Frame> retainedGop() {
        List<Frame> copy = new ArrayList<>(gop.size());
        for (Frame f : gop) {
            copy.add(f.retain());
        }
        return copy;
    }

    private static Frame retained(Frame f) {
        return f == null ? null : f.retain();
    }

    @Override
    public String toString() {
        return "LiveStream[" + path + "]";
    }
}
