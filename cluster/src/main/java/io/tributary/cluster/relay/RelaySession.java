package io.tributary.cluster.relay;

import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.amf.Amf0;
import io.tributary.media.amf.AmfException;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.rtmp.client.PlayListener;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.rtmp.command.Status;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream an edge pulls from its origin, however many viewers it has here. The pulled frames feed a
 * local LiveStream through a "relay" publisher (never an origin claim). When the origin goes away, that
 * publisher leaves, the stream's viewers wait the failover grace, and the session pulls again from
 * wherever the directory says the stream is now: the LiveStream carries the timeline on, so viewers see
 * monotonic timestamps and never reconnect. State changes are serialised on this object.
 */
final class RelaySession {
    private static final Logger log = LoggerFactory.getLogger(RelaySession.class);

    enum State { CONNECTING, LIVE, WAITING_FOR_ORIGIN, CLOSED }

    private final StreamPath path;
    private final RelayManager manager;
    private final CompletableFuture<LiveStream> ready = new CompletableFuture<>();
    private final AtomicLong frames = new AtomicLong();
    private final long startedAtMillis = System.currentTimeMillis();
    private State state;
    private RelayTarget target;
    private RtmpSession rtmp;
    private Publisher publisher;
    private int generation;
    private int attempts;
    private long attemptStartedNanos;
    private volatile long lastFrameNanos;
    private long idleSinceNanos = -1;
    private long lastRecheckNanos;

    RelaySession(StreamPath path, RelayManager manager) {
        this.path = path;
        this.manager = manager;
    }

    CompletableFuture<LiveStream> ready() {
        return ready;
    }

    synchronized boolean closed() {
        return state == State.CLOSED;
    }

    synchronized void start() {
        if (state == null) {
            connect(manager.resolve(path));
        }
    }

    /** Opens a pull to {@code t} (or waits for an origin when there is none). */
    private void connect(RelayTarget t) {
        if (state == State.CLOSED) {
            return;
        }
        closeConnection();
        if (t == null) {
            if (!ready.isDone()) {
                fail(new StreamException(StreamException.Reason.NOT_FOUND, "No such stream: " + path + "."));
                return;
            }
            state = State.WAITING_FOR_ORIGIN;
            return;
        }
        state = State.CONNECTING;
        manager.attemptStarted();
        target = t;
        attemptStartedNanos = System.nanoTime();
        lastFrameNanos = 0;
        int gen = ++generation;
        String name = path.streamId() + (t.clusterNode() ? "?clusterToken=" + manager.tokenFor(t, path) : "");
        log.info("relay {}: pulling from {}", path, t.describe());
        manager.client().connect(new RtmpUrl(t.host(), t.rtmpPort(), path.app(), null, null),
                        manager.settings().establishTimeout())
                .thenCompose(session -> {
                    synchronized (this) {
                        if (gen != generation) {
                            session.close();
                            return CompletableFuture.<Void>completedFuture(null);
                        }
                        rtmp = session;
                    }
                    return session.play(name, listener(gen));
                })
                .whenComplete((v, error) -> {
                    if (error != null) {
                        attemptFailed(gen, describe(error));
                    }
                });
    }

    /** The innermost cause's message, or its type when it has none (a timeout has no message). */
    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private PlayListener listener(int gen) {
        return new PlayListener() {
            @Override
            public void onFrame(Frame frame) {
                forward(gen, frame);
            }

            @Override
            public void onStatus(String code, io.tributary.media.amf.AmfObject info) {
                if (Status.PLAY_UNPUBLISH_NOTIFY.equals(code) || Status.PLAY_STOP.equals(code)) {
                    originLost(gen, "the origin's publisher left (" + code + ")");
                }
            }

            @Override
            public void onClose() {
                originLost(gen, "the connection to the origin closed");
            }
        };
    }

    /** A frame from the origin; the first one makes the local stream (and answers the waiting players). */
    private void forward(int gen, Frame frame) {
        Publisher p;
        synchronized (this) {
            if (gen != generation || state == State.CLOSED) {
                return;
            }
            lastFrameNanos = System.nanoTime();
            if (publisher == null && !attach()) {
                return;
            }
            p = publisher;
        }
        frames.incrementAndGet();
        if (frame.kind() == io.tributary.media.TrackKind.DATA) {
            forwardData(p, frame);
        } else {
            p.send(frame.retain());
        }
    }

    /** Metadata becomes the local stream's metadata; the origin's sample-access message stays behind. */
    private static void forwardData(Publisher p, Frame frame) {
        List<Object> values;
        try {
            values = Amf0.readAll(frame.body().duplicate());
        } catch (AmfException e) {
            return;
        }
        if (values.isEmpty() || "|RtmpSampleAccess".equals(values.get(0))) {
            return;
        }
        if ("onMetaData".equals(values.get(0))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> fields = values.size() > 1 && values.get(1) instanceof Map<?, ?> m
                    ? (Map<String, Object>) m : Map.of();
            p.metadata(frame.retain(), fields);
        } else {
            p.send(frame.retain());
        }
    }

    private boolean attach() {
        try {
            publisher = manager.registry().publish(path, "relay",
                    InetSocketAddress.createUnresolved(target.host(), target.rtmpPort()),
                    reason -> manager.timer().execute(() -> close("the local stream ended: " + reason)),
                    manager.settings().failoverGrace());
        } catch (StreamException e) {
            log.info("relay {}: not needed any more ({})", path, e.getMessage());
            close(e.getMessage());
            return false;
        }
        state = State.LIVE;
        attempts = 0;
        log.info("relay {}: live from {}", path, target.describe());
        ready.complete(publisher.stream());
        return true;
    }

    private synchronized void attemptFailed(int gen, String why) {
        if (gen != generation || state == State.CLOSED) {
            return;
        }
        attempts++;
        manager.attemptFailed();
        closeConnection();
        if (attempts > manager.settings().maxRetryAttempts()) {
            log.warn("relay {}: giving up on {} after {} attempts: {}", path, target.describe(), attempts, why);
            if (!ready.isDone()) {
                fail(new StreamException(StreamException.Reason.UNAVAILABLE,
                        "Could not pull " + path + " from its origin: " + why));
                return;
            }
            state = State.WAITING_FOR_ORIGIN;
            return;
        }
        log.info("relay {}: attempt {} on {} failed ({}); retrying in {} ms", path, attempts, target.describe(), why,
                manager.settings().retryDelay().toMillis());
        state = State.WAITING_FOR_ORIGIN;
        int retryGen = ++generation;
        manager.timer().schedule(() -> retry(retryGen), manager.settings().retryDelay().toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private synchronized void retry(int gen) {
        if (gen == generation && state == State.WAITING_FOR_ORIGIN) {
            connect(manager.resolve(path));
        }
    }

    /** The origin stopped sending this stream: viewers wait while the directory says where it went. */
    private synchronized void originLost(int gen, String why) {
        if (gen != generation || state == State.CLOSED) {
            return;
        }
        generation++;
        closeConnection();
        if (publisher != null) {
            log.info("relay {}: {}; viewers wait up to {} ms for the stream to return", path, why,
                    manager.settings().failoverGrace().toMillis());
            publisher.close();
            publisher = null;
        }
        state = State.WAITING_FOR_ORIGIN;
        recheck();
    }

    /**
     * Membership judged {@code nodeId} dead: a pull from it (even one whose connection has not noticed yet,
     * as with a hung origin) is dropped, and the viewers wait for the stream on another origin.
     */
    synchronized void nodeDead(String nodeId) {
        if (target != null && target.clusterNode() && target.nodeId().equals(nodeId)
                && (state == State.LIVE || state == State.CONNECTING)) {
            originLost(generation, "origin node " + nodeId + " is dead");
        }
    }

    /** The directory changed for this stream: follow it to its new origin. */
    synchronized void originChanged() {
        if (state == State.WAITING_FOR_ORIGIN) {
            recheck();
        } else if (state == State.LIVE || state == State.CONNECTING) {
            RelayTarget now = manager.resolve(path);
            if (now != null && target != null && now.clusterNode() && !now.nodeId().equals(target.nodeId())) {
                log.info("relay {}: the stream moved to {}", path, now.describe());
                generation++;
                if (publisher != null) {
                    publisher.close();
                    publisher = null;
                }
                connect(now);
            }
        }
    }

    private void recheck() {
        lastRecheckNanos = System.nanoTime();
        RelayTarget t = manager.resolve(path);
        if (t != null && (target == null || !t.clusterNode() || manager.serving(t))) {
            attempts = 0;
            connect(t);
        }
    }

    /** Periodic: establishment timeout, stalls, release after the last viewer, re-resolving while waiting. */
    synchronized void tick(long now) {
        if (state == State.CLOSED) {
            return;
        }
        long establish = manager.settings().establishTimeout().toNanos();
        if (state == State.CONNECTING && now - attemptStartedNanos > establish && lastFrameNanos == 0) {
            attemptFailed(generation, "no media within " + manager.settings().establishTimeout().toMillis() + " ms");
            return;
        }
        if (state == State.LIVE && lastFrameNanos > 0 && now - lastFrameNanos > establish) {
            originLost(generation, "no media for " + manager.settings().establishTimeout().toMillis() + " ms");
            return;
        }
        LiveStream stream = manager.registry().find(path).orElse(null);
        if (ready.isDone() && (stream == null || stream.isEnded())) {
            close("the stream ended (no origin within the failover grace)");
            return;
        }
        if (stream != null && publisher == null && stream.publisher() != null
                && !"relay".equals(stream.publisher().protocol())) {
            close("the stream is published on this node now");
            return;
        }
        int subscribers = stream == null ? 0 : stream.subscriberCount();
        if (subscribers == 0 && ready.isDone()) {
            if (idleSinceNanos < 0) {
                idleSinceNanos = now;
            } else if (now - idleSinceNanos >= manager.settings().releaseDelay().toNanos()) {
                close("no viewers for " + manager.settings().releaseDelay().toMillis() + " ms");
                return;
            }
        } else {
            idleSinceNanos = -1;
        }
        if (state == State.WAITING_FOR_ORIGIN
                && now - lastRecheckNanos >= manager.settings().healthCheckInterval().toNanos()) {
            recheck();
        }
    }

    synchronized void close(String why) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        generation++;
        closeConnection();
        if (publisher != null) {
            publisher.close();
            publisher = null;
        }
        log.info("relay {}: released ({})", path, why);
        fail(new StreamException(StreamException.Reason.NOT_FOUND, "The relay of " + path + " ended: " + why));
        manager.removed(this);
    }

    private void fail(StreamException e) {
        if (ready.completeExceptionally(e) && state != State.CLOSED) {
            state = State.CLOSED;
            generation++;
            closeConnection();
            manager.removed(this);
        }
    }

    private void closeConnection() {
        if (rtmp != null) {
            rtmp.close();
            rtmp = null;
        }
    }

    StreamPath path() {
        return path;
    }

    synchronized RelayView view() {
        LiveStream stream = manager.registry().find(path).orElse(null);
        return new RelayView(path.toString(), "pull", target == null ? null : target.nodeId(),
                target == null ? null : target.host() + ":" + target.rtmpPort(),
                state == null ? "starting" : state.name().toLowerCase(java.util.Locale.ROOT),
                stream == null ? 0 : stream.totalViewers(), frames.get(), attempts, startedAtMillis);
    }
}
