package io.tributary.rtmp.server;

import io.tributary.rtmp.client.RtmpPublication;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Publishes a synthetic stream through an RTMP publication: configurations first, then every 10 ms a
 * video frame (40 ms of stream time, a keyframe every {@code gop} frames) and an audio frame.
 */
final class FramePump implements AutoCloseable {
    private final RtmpPublication publication;
    private final int gop;
    private final long startTs;
    private final ScheduledExecutorService exec = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger sent = new AtomicInteger();
    private final int videoSize;

    FramePump(RtmpPublication publication, int gop, long startTs) {
        this(publication, gop, startTs, 1500);
    }

    FramePump(RtmpPublication publication, int gop, long startTs, int videoSize) {
        this.publication = publication;
        this.gop = gop;
        this.startTs = startTs;
        this.videoSize = videoSize;
    }

    FramePump start() {
        publication.send(SyntheticStream.videoConfig(startTs), startTs);
        publication.send(SyntheticStream.audioConfig(startTs), startTs);
        exec.scheduleAtFixedRate(this::tick, 0, 10, TimeUnit.MILLISECONDS);
        return this;
    }

    private void tick() {
        int n = sent.get();
        long ts = startTs + n * 40L;
        publication.send(SyntheticStream.video(ts, n % gop == 0, n, videoSize), ts);
        publication.send(SyntheticStream.audio(ts + 20), ts + 20);
        sent.incrementAndGet();
    }

    int sent() {
        return sent.get();
    }

    @Override
    public void close() {
        exec.shutdownNow();
        try {
            exec.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
