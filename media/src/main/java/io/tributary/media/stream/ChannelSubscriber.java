package io.tributary.media.stream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundInvoker;
import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Addresses;
import io.tributary.media.Frame;
import java.util.ArrayDeque;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A player on a network connection, with the rules every protocol shares: output starts near time zero
 * and stays monotonic per track; frames are written while the socket keeps up and queued (boundedly)
 * when it does not; a player that falls more than {@code playerMaxLag} behind skips to the next
 * keyframe, and one that keeps falling behind is disconnected. Memory never grows with a stalled player.
 */
public abstract class ChannelSubscriber implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(ChannelSubscriber.class);
    /** Guard on queue length for streams whose timestamps do not advance. */
    private static final int MAX_PENDING_FRAMES = 4096;
    private static final long DROP_WINDOW_MS = 60_000;

    protected final Channel channel;
    /** Where frames and flushes enter the pipeline: the channel's tail unless {@link #writeFrom} moved it. */
    private ChannelOutboundInvoker out;
    private final StreamSettings settings;
    private final LongSupplier clock;
    private final ArrayDeque<Frame> pending = new ArrayDeque<>();
    private final long[] dropTimes;
    private int dropCount;
    private boolean streamHasVideo;
    private boolean awaitingKeyframe;
    /** Awaiting the keyframe because this player fell behind (its skipped frames count as dropped for slowness). */
    private boolean skipping;
    private boolean dirty;
    private boolean closed;
    private long base = Long.MIN_VALUE;
    private long lastVideoTs;
    private long lastAudioTs;
    private long lastDataTs;
    private long framesSent;
    private long framesDropped;
    private Subscription subscription;
    private boolean viewer = true;

    protected ChannelSubscriber(Channel channel, StreamSettings settings) {
        this(channel, settings, System::currentTimeMillis);
    }

    /** @param clock milliseconds, for the "skips within a minute" rule; tests move it instead of waiting */
    protected ChannelSubscriber(Channel channel, StreamSettings settings, LongSupplier clock) {
        this.channel = channel;
        this.out = channel;
        this.settings = settings;
        this.clock = clock;
        this.dropTimes = new long[Math.max(1, settings.playerMaxDrops())];
    }

    /**
     * Makes frames and flushes enter the pipeline at {@code ctx} (they go on to the handlers before it, such
     * as TLS, and the socket) rather than at its tail: the protocol's own handlers have nothing to do with
     * an already encoded frame, and walking past them twice per frame per player is a measurable share of
     * the fan-out's cost (see docs/benchmarks.md). Everything written this way must be encoded bytes.
     */
    protected final void writeFrom(ChannelHandlerContext ctx) {
        this.out = ctx;
    }

    /** Where encoded frame bytes are written: see {@link #writeFrom}. */
    protected final ChannelOutboundInvoker out() {
        return out;
    }

    /** Whether this player counts as a viewer; set before subscribing (a relay pull does not count). */
    public void countAsViewer(boolean isViewer) {
        this.viewer = isViewer;
    }

    @Override
    public boolean isViewer() {
        return viewer;
    }

    /** Remembers the subscription so that closing the player also leaves the stream. */
    public void bind(Subscription subscription) {
        this.subscription = subscription;
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    /** Protocol preamble (FLV header, RTMP play statuses); frames follow through {@link #writeFrame}. */
    protected abstract void writeStart(StreamSnapshot snapshot);

    /** Writes one frame with the player's timestamp; no flush (the batch flushes once). */
    protected abstract void writeFrame(Frame frame, long timestamp);

    /** The stream is over: write the protocol's end (if any) and close. */
    protected abstract void writeEnd();

    protected void publisherLeft() {
    }

    protected void publisherReturned() {
    }

    @Override
    public final void onStart(StreamSnapshot snapshot) {
        streamHasVideo = snapshot.hasVideo();
        writeStart(snapshot);
        dirty = true;
        // Without a cached GOP the player must not start on a picture it cannot decode.
        awaitingKeyframe = streamHasVideo && snapshot.gop().isEmpty();
        snapshot.forEachFrame(this::offer);
    }

    @Override
    public final void onFrame(Frame frame) {
        if (frame.isVideo()) {
            streamHasVideo = true;
        }
        offer(frame);
    }

    @Override
    public final void onFlush() {
        if (dirty && !closed) {
            dirty = false;
            out.flush();
        }
    }

    @Override
    public final void onEvent(StreamEvent event) {
        if (closed) {
            return;
        }
        switch (event) {
            case PUBLISHER_LEFT -> publisherLeft();
            case PUBLISHER_RETURNED -> {
                awaitingKeyframe = true;
                skipping = false;
                publisherReturned();
            }
            case ENDED -> {
                drainWhileWritable();
                stop();
                writeEnd();
                return;
            }
        }
        dirty = true;
        onFlush();
    }

    /** Call from the protocol handler's channelWritabilityChanged. */
    public final void writabilityChanged() {
        if (!closed && channel.isWritable()) {
            drainWhileWritable();
            onFlush();
        }
    }

    /** The connection is gone or being closed: stop delivery and free what is queued. Idempotent. */
    public final void stop() {
        closed = true;
        releasePending();
        if (subscription != null) {
            subscription.cancel();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    public long framesSent() {
        return framesSent;
    }

    public long framesDropped() {
        return framesDropped;
    }

    private void offer(Frame frame) {
        if (closed) {
            return;
        }
        if (awaitingKeyframe && frame.type() == Frame.Type.CODED && (frame.isVideo() || frame.isAudio())) {
            if (!(frame.isVideo() && frame.isKeyframe())) {
                framesDropped++;
                if (skipping) {
                    droppedForSlowness(1);
                }
                return;
            }
            awaitingKeyframe = false;
            skipping = false;
        }
        if (pending.isEmpty() && channel.isWritable()) {
            emit(frame);
            return;
        }
        pending.addLast(frame.retain());
        if (pending.size() > MAX_PENDING_FRAMES || queuedMediaSpan() > settings.playerMaxLag().toMillis()) {
            fallBehind();
        }
    }

    /**
     * How much stream time the queue holds, from its oldest coded frame: configurations and script data
     * kept across a skip carry old timestamps and must not count as lag.
     */
    private long queuedMediaSpan() {
        for (Frame f : pending) {
            if (f.type() == Frame.Type.CODED) {
                return pending.peekLast().dts() - f.dts();
            }
        }
        return 0;
    }

    private void emit(Frame frame) {
        writeFrame(frame, timestampOf(frame));
        framesSent++;
        dirty = true;
        if (subscription != null) {
            subscription.stream().traffic().sent(frame.size());
        }
    }

    private void drainWhileWritable() {
        while (!pending.isEmpty() && channel.isWritable()) {
            Frame f = pending.pollFirst();
            try {
                emit(f);
            } finally {
                f.release();
            }
        }
    }

    /** Skips what is queued, keeping configurations, and resumes at the next keyframe. */
    private void fallBehind() {
        long now = clock.getAsLong();
        dropTimes[dropCount % dropTimes.length] = now;
        dropCount++;
        boolean tooOften = dropCount >= dropTimes.length
                && now - dropTimes[dropCount % dropTimes.length] <= DROP_WINDOW_MS;
        ArrayDeque<Frame> keep = new ArrayDeque<>();
        int dropped = 0;
        for (Frame f : pending) {
            if (f.type() == Frame.Type.CODED) {
                dropped++;
                f.release();
            } else {
                keep.add(f);
            }
        }
        pending.clear();
        pending.addAll(keep);
        framesDropped += dropped;
        droppedForSlowness(dropped);
        if (tooOften) {
            log.info("{} player of {} at {} disconnected: more than {} s behind {} times within a minute",
                    protocol(), streamName(), Addresses.format(channel.remoteAddress()),
                    settings.playerMaxLag().toMillis() / 1000.0, dropCount);
            close("too slow");
            return;
        }
        log.debug("{} player at {} fell {} ms behind; skipping to the next keyframe", protocol(),
                Addresses.format(channel.remoteAddress()), settings.playerMaxLag().toMillis());
        awaitingKeyframe = streamHasVideo;
        skipping = streamHasVideo;
    }

    /** Counts frames this player lost by falling behind on its stream (one add, no lookup: on the media path). */
    private void droppedForSlowness(int frames) {
        if (subscription != null && frames > 0) {
            subscription.stream().droppedForSlowPlayer(frames);
        }
    }

    /** Closes the player's connection (and leaves the stream) for the given reason. */
    protected void close(String reason) {
        stop();
        channel.close();
    }

    private String streamName() {
        return subscription == null ? "?" : subscription.stream().path().toString();
    }

    /** The player's clock: zero at its first coded frame, never going backwards within a track. */
    private long timestampOf(Frame frame) {
        if (base == Long.MIN_VALUE) {
            if (frame.type() != Frame.Type.CODED) {
                return 0;
            }
            base = frame.dts();
        }
        long ts = Math.max(0, frame.dts() - base);
        switch (frame.kind()) {
            case VIDEO -> {
                ts = Math.max(ts, lastVideoTs);
                lastVideoTs = ts;
            }
            case AUDIO -> {
                ts = Math.max(ts, lastAudioTs);
                lastAudioTs = ts;
            }
            case DATA -> {
                ts = Math.max(ts, lastDataTs);
                lastDataTs = ts;
            }
        }
        return ts;
    }

    private void releasePending() {
        Frame f;
        while ((f = pending.pollFirst()) != null) {
            f.release();
        }
    }
}
