package io.tributary.bench.publish;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.bench.load.Transport;
import io.tributary.bench.marker.FrameMarker;
import io.tributary.media.flv.FlvFrames;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpPublication;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes an FLV file over RTMP in real time, in a loop, as an encoder would, without re-encoding (the
 * equivalent of {@code ffmpeg -re -stream_loop -1 -i file.flv -c copy -f flv URL}), with timestamps that
 * keep rising across loops. Each H.264 frame gets a marker (an SEI NAL unit with a sequence number and the
 * send time) so players can tell which frame they got and how late; everything sent is in {@link #log()}.
 *
 * <p>Pacing runs on the connection's own event loop: each run sends every tag that is due and schedules
 * the next run for the next tag's due time, so no thread sleeps and a late run catches up at once.
 */
public final class MarkedPublisher implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final RtmpSession session;
    private final RtmpPublication publication;
    private final FlvFile file;
    private final FrameLog log;
    private final Channel channel;
    private final EventLoop loop;
    private final long firstTimestamp;
    private volatile boolean stopped;
    private boolean closed;
    // Pacing state: the event loop's only.
    private long startNanos;
    private int index;
    private long loopOffsetMillis;
    private ScheduledFuture<?> nextRun;

    private MarkedPublisher(EventLoopGroup group, RtmpSession session, RtmpPublication publication, FlvFile file) {
        this.group = group;
        this.session = session;
        this.publication = publication;
        this.file = file;
        this.log = new FrameLog(file.gopMillis(), file.bitsPerSecond());
        this.channel = session.channel();
        this.loop = channel.eventLoop();
        this.firstTimestamp = file.media().get(0).timestamp();
    }

    /** Connects to {@code rtmpUrl} (rtmp://host:port/app/stream), publishes and starts sending. */
    public static MarkedPublisher start(String rtmpUrl, Path flvFile) {
        FlvFile file;
        try {
            file = FlvFile.read(flvFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish " + flvFile + ": " + e.getMessage(), e);
        }
        RtmpUrl url = RtmpUrl.parse(rtmpUrl);
        if (url.streamName() == null) {
            throw new IllegalArgumentException("the URL names no stream to publish: " + rtmpUrl);
        }
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "bench-publisher");
        RtmpSession session = null;
        try {
            session = await(new RtmpClient(group, transport.channelType()).connect(url, TIMEOUT), rtmpUrl);
            RtmpPublication publication = await(session.publish(url.streamNameWithQuery()), rtmpUrl);
            MarkedPublisher publisher = new MarkedPublisher(group, session, publication, file);
            session.closeFuture().whenComplete((v, e) -> publisher.stopped = true);
            publisher.loop.execute(publisher::begin);
            return publisher;
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    public PublishLog log() {
        return log;
    }

    /** The file being looped. */
    public FlvFile file() {
        return file;
    }

    /** Whether the connection is still up and frames are still being sent. */
    public boolean isPublishing() {
        return !stopped && channel.isActive();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopped = true;
        loop.execute(() -> {
            if (nextRun != null) {
                nextRun.cancel(false);
            }
        });
        session.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void begin() {
        if (file.metadata() != null) {
            publication.metadata(file.metadata());
        }
        publication.send(FlvFrames.video(0, file.videoConfig().body()), 0);
        if (file.audioConfig() != null) {
            publication.send(FlvFrames.audio(0, file.audioConfig().body()), 0);
        }
        startNanos = System.nanoTime();
        run();
    }

    /** Sends every tag that is due, then schedules itself for the next one. */
    private void run() {
        if (stopped) {
            return;
        }
        List<FlvFile.Tag> media = file.media();
        long now = System.nanoTime();
        for (;;) {
            FlvFile.Tag tag = media.get(index);
            long timestamp = loopOffsetMillis + tag.timestamp() - firstTimestamp;
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos(timestamp);
            if (due > now) {
                nextRun = loop.schedule(this::run, due - now, TimeUnit.NANOSECONDS);
                return;
            }
            send(tag, timestamp);
            if (++index == media.size()) {
                index = 0;
                loopOffsetMillis += file.loopMillis();
            }
        }
    }

    private void send(FlvFile.Tag tag, long timestamp) {
        if (tag.isAvcCoded()) {
            long sentAt = System.nanoTime();
            ByteBuf body = tag.body();
            ByteBuf marked;
            try {
                marked = FrameMarker.mark(channel.alloc(), body, log.nextSeq(), sentAt);
            } finally {
                body.release();
            }
            log.videoFrame(sentAt, marked.readableBytes(), tag.isKeyframe());
            publication.send(FlvFrames.video(timestamp, marked), timestamp);
        } else if (tag.isAudio()) {
            log.audioFrame(tag.size());
            publication.send(FlvFrames.audio(timestamp, tag.body()), timestamp);
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f, String url) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + url + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("cannot publish to " + url + ": no answer within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing to " + url, e);
        }
    }
}
