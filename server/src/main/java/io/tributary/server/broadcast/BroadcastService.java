package io.tributary.server.broadcast;

import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.store.BroadcastStore;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamInfo;
import io.tributary.media.stream.StreamListener;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps broadcast records in step with what is published: a publish marks its record broadcasting
 * (creating a "zombi" record for a stream nobody created, as Ant Media Server does), a stop marks it
 * finished with its final figures (or removes a zombi), and a restart finishes what was live before.
 * Store writes run on one executor, in order, never on a network thread.
 */
public final class BroadcastService implements StreamListener {
    private static final Logger log = LoggerFactory.getLogger(BroadcastService.class);

    private final BroadcastStore store;
    private final Executor storeExecutor;
    private final boolean acceptUndefined;
    private final String originAddress;
    private final LongSupplier clock;

    public BroadcastService(BroadcastStore store, Executor storeExecutor, boolean acceptUndefined,
                            String originAddress, LongSupplier clock) {
        this.store = store;
        this.storeExecutor = storeExecutor;
        this.acceptUndefined = acceptUndefined;
        this.originAddress = originAddress;
        this.clock = clock;
    }

    public BroadcastStore store() {
        return store;
    }

    /** After a restart nothing is live: created broadcasts that were live become finished, zombis go. */
    public void recover() {
        int finished = 0;
        int removed = 0;
        for (Map.Entry<String, List<Broadcast>> app : store.all().entrySet()) {
            for (Broadcast b : app.getValue()) {
                if (b.getStatus() != BroadcastStatus.BROADCASTING) {
                    continue;
                }
                if (b.isZombi()) {
                    store.delete(app.getKey(), b.getStreamId());
                    removed++;
                } else {
                    store.update(app.getKey(), b.getStreamId(), r -> finish(r, r.getUpdateTime()));
                    finished++;
                }
            }
        }
        if (finished + removed > 0) {
            log.info("recovered broadcasts after restart: {} marked finished, {} unsaved streams removed",
                    finished, removed);
        }
    }

    /**
     * Decides whether this stream id may be published: a record that forbids publishing refuses it, and
     * so does a missing record when undefined streams are not accepted. Runs on the store executor.
     */
    public void checkPublish(StreamPath path) {
        Optional<Broadcast> record = store.get(path.app(), path.streamId());
        if (record.isEmpty() && !acceptUndefined) {
            throw new StreamException(StreamException.Reason.NOT_FOUND,
                    "No broadcast " + path.streamId() + " was created, and undefined streams are not accepted.");
        }
        if (record.isPresent() && !record.get().isPublish()) {
            throw new StreamException(StreamException.Reason.FORBIDDEN,
                    "Publishing " + path.streamId() + " is disabled for this broadcast.");
        }
    }

    @Override
    public void publishStarted(LiveStream stream, Publisher publisher) {
        StreamPath path = stream.path();
        long now = clock.getAsLong();
        String publishType = publisher.protocol().toUpperCase(java.util.Locale.ROOT);
        String ip = Addresses.host(publisher.remote());
        storeExecutor.execute(() -> {
            Optional<Broadcast> updated = store.update(path.app(), path.streamId(), r -> {
                r.setStatus(BroadcastStatus.BROADCASTING);
                r.setStartTime(now);
                r.setPublishType(publishType);
                r.setIpAddr(ip);
                r.setOriginAddress(originAddress);
                r.setUpdateTime(now);
                return r;
            });
            if (updated.isEmpty()) {
                Broadcast b = new Broadcast();
                b.setStreamId(path.streamId());
                b.setZombi(true);
                b.setDate(now);
                b.setStatus(BroadcastStatus.BROADCASTING);
                b.setStartTime(now);
                b.setPublishType(publishType);
                b.setIpAddr(ip);
                b.setOriginAddress(originAddress);
                b.setUpdateTime(now);
                if (!store.create(path.app(), b)) {
                    log.warn("broadcast {} appeared while its publish started; leaving it as it is", path);
                }
            }
        });
    }

    @Override
    public void publishStopped(LiveStream stream, Publisher publisher) {
        StreamPath path = stream.path();
        long now = clock.getAsLong();
        StreamInfo info = stream.info();
        long bitrate = publisher.bitrate();
        storeExecutor.execute(() -> {
            Optional<Broadcast> current = store.get(path.app(), path.streamId());
            if (current.isEmpty()) {
                return;
            }
            if (current.get().isZombi()) {
                store.delete(path.app(), path.streamId());
                return;
            }
            store.update(path.app(), path.streamId(), r -> {
                BroadcastViews.applyInfo(r, info);
                if (bitrate > 0) {
                    r.setBitrate(bitrate);
                }
                return finish(r, now);
            });
        });
    }

    /**
     * Writes the live figures of every stream being published here (codecs, size, bitrate, viewers,
     * update time) into its record. Run periodically: the REST API shows live values anyway, but after
     * a crash the stored record still tells how long the broadcast ran, to within one period.
     */
    public void persistLiveFigures(Iterable<LiveStream> streams) {
        long now = clock.getAsLong();
        for (LiveStream stream : streams) {
            Publisher publisher = stream.publisher();
            if (publisher == null) {
                continue;
            }
            StreamPath path = stream.path();
            StreamInfo info = stream.info();
            long bitrate = publisher.bitrate();
            int rtmp = stream.viewers("rtmp");
            int flv = stream.viewers("flv");
            storeExecutor.execute(() -> store.update(path.app(), path.streamId(), r -> {
                if (r.getStatus() != BroadcastStatus.BROADCASTING) {
                    return r;
                }
                BroadcastViews.applyInfo(r, info);
                r.setBitrate(bitrate);
                r.setRtmpViewerCount(rtmp);
                r.setHttpFlvViewerCount(flv);
                r.setUpdateTime(now);
                return r;
            }));
        }
    }

    private static Broadcast finish(Broadcast r, long endTime) {
        r.setStatus(BroadcastStatus.FINISHED);
        if (r.getStartTime() > 0 && endTime >= r.getStartTime()) {
            r.setDuration(endTime - r.getStartTime());
        }
        r.setRtmpViewerCount(0);
        r.setHttpFlvViewerCount(0);
        r.setHlsViewerCount(0);
        r.setUpdateTime(endTime);
        return r;
    }
}
