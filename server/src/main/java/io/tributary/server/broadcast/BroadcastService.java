package io.tributary.server.broadcast;

import io.tributary.cluster.broadcast.BroadcastStatus;
import io.tributary.cluster.broadcast.Broadcast;
import io.tributary.cluster.directory.ClaimRequest;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.store.AppBroadcast;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.StoreUnavailableException;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamInfo;
import io.tributary.media.stream.StreamListener;
import io.tributary.media.stream.StreamRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps broadcast records in step with what this node publishes: a stop releases the stream in the
 * directory with its final figures; live figures are written every few seconds; after a restart the
 * streams this node was origin of are released; after a store outage, what is live here is claimed again
 * and what is not is released. Store work runs on the store executor, never on a network thread.
 */
public final class BroadcastService implements StreamListener {
    private static final Logger log = LoggerFactory.getLogger(BroadcastService.class);

    private final StreamDirectory directory;
    private final ClusterStore store;
    private final String selfId;
    private final Executor storeExecutor;
    private final LongSupplier clock;

    public BroadcastService(StreamDirectory directory, ClusterStore store, String selfId, Executor storeExecutor,
                            LongSupplier clock) {
        this.directory = directory;
        this.store = store;
        this.selfId = selfId;
        this.storeExecutor = storeExecutor;
        this.clock = clock;
    }

    /**
     * After a restart nothing is live here: release the streams the store still says this node has, and
     * finish records that say they are broadcasting but name no origin at all (written before records
     * had origins, or left by an interrupted write): no node can be publishing them.
     */
    public void recover() {
        int released = 0;
        for (AppBroadcast ab : store.broadcastingOn(selfId)) {
            directory.release(ab.app(), ab.broadcast().getStreamId(), UnaryOperator.identity());
            released++;
        }
        for (Map.Entry<String, List<Broadcast>> app : store.all().entrySet()) {
            for (Broadcast b : app.getValue()) {
                if (b.getStatus() == BroadcastStatus.BROADCASTING && b.getOriginNode() == null) {
                    directory.releaseOrphan(app.getKey(), b);
                    released++;
                }
            }
        }
        if (released > 0) {
            log.info("released {} stream(s) left broadcasting before this node restarted", released);
        }
    }

    @Override
    public void publishStopped(LiveStream stream, Publisher publisher) {
        StreamPath path = stream.path();
        StreamInfo info = stream.info();
        long bitrate = publisher.bitrate();
        storeExecutor.execute(() -> directory.release(path.app(), path.streamId(), b -> {
            BroadcastViews.applyInfo(b, info);
            if (bitrate > 0) {
                b.setBitrate(bitrate);
            }
            return b;
        }));
    }

    /**
     * The store is back after an outage: streams live here are claimed again (a publisher whose stream
     * another node took meanwhile is disconnected: that node's publisher is the newer one), and streams the
     * store gives to this node that are not live here are released.
     */
    public void reconcile(StreamRegistry registry) {
        storeExecutor.execute(() -> {
            try {
                for (LiveStream s : registry.streams()) {
                    Publisher p = s.publisher();
                    if (p == null) {
                        continue;
                    }
                    Optional<DirectoryEntry> entry = directory.lookup(s.path().app(), s.path().streamId());
                    if (entry.isPresent() && entry.get().live() && selfId.equals(entry.get().originNode())) {
                        continue;
                    }
                    try {
                        directory.claim(s.path().app(), s.path().streamId(), new ClaimRequest(
                                p.protocol().toUpperCase(Locale.ROOT), Addresses.host(p.remote())));
                        log.info("claimed {} again after the store outage", s.path());
                    } catch (StreamException e) {
                        log.warn("{} was taken over while the store was unavailable ({}); disconnecting this "
                                + "node's publisher", s.path(), e.getMessage());
                        p.disconnect("Another node publishes " + s.path() + " now.");
                    }
                }
                for (AppBroadcast ab : store.broadcastingOn(selfId)) {
                    StreamPath path = new StreamPath(ab.app(), ab.broadcast().getStreamId());
                    if (registry.find(path).map(LiveStream::publisher).isEmpty()) {
                        directory.release(path.app(), path.streamId(), UnaryOperator.identity());
                    }
                }
            } catch (StoreUnavailableException e) {
                log.debug("reconcile postponed: {}", e.getMessage());
            }
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
            storeExecutor.execute(() -> {
                try {
                    store.update(path.app(), path.streamId(), r -> {
                        if (r.getStatus() != BroadcastStatus.BROADCASTING || !selfId.equals(r.getOriginNode())) {
                            return r;
                        }
                        BroadcastViews.applyInfo(r, info);
                        r.setBitrate(bitrate);
                        r.setRtmpViewerCount(rtmp);
                        r.setHttpFlvViewerCount(flv);
                        r.setUpdateTime(now);
                        return r;
                    });
                } catch (StoreUnavailableException e) {
                    log.debug("live figures of {} not written: {}", path, e.getMessage());
                }
            });
        }
    }

}
