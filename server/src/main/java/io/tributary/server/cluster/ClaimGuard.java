package io.tributary.server.cluster;

import io.tributary.cluster.directory.ClaimRequest;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamRegistry;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the publishers on this node in step with the directory. A stream published here that the directory
 * now gives to another node was lost (in peers mode, two nodes accepted it at once and the other claim won;
 * with a store, another node took it over while this one was cut off): its publisher is refused
 * ({@code NetStream.Publish.BadName}). A stream published here whose record another node released (it
 * judged this node dead while this node kept publishing) is claimed again.
 */
final class ClaimGuard implements Consumer<DirectoryEntry> {
    private static final Logger log = LoggerFactory.getLogger(ClaimGuard.class);

    private final StreamRegistry registry;
    private final StreamDirectory directory;
    private final String selfId;
    private final Executor storeExecutor;

    ClaimGuard(StreamRegistry registry, StreamDirectory directory, String selfId, Executor storeExecutor) {
        this.registry = registry;
        this.directory = directory;
        this.selfId = selfId;
        this.storeExecutor = storeExecutor;
    }

    /** A directory update (on whatever thread applied it; claims themselves run on the store executor). */
    @Override
    public void accept(DirectoryEntry e) {
        StreamPath path = new StreamPath(e.app(), e.streamId());
        Publisher p = publishedHere(path).orElse(null);
        if (p == null) {
            return;
        }
        if (e.live() && !selfId.equals(e.originNode())) {
            log.warn("{} is published on node {} too and that claim won; disconnecting this node's publisher from {}",
                    path, e.originNode(), Addresses.format(p.remote()));
            p.refuse(new StreamException(StreamException.Reason.BUSY, "Stream " + path + " is published on node "
                    + e.originNode() + ", which took it first."));
        } else if (!e.live()) {
            storeExecutor.execute(() -> claimAgain(path, p));
        }
    }

    private void claimAgain(StreamPath path, Publisher p) {
        if (publishedHere(path).orElse(null) != p || directory.lookup(path.app(), path.streamId())
                .filter(d -> d.live() && selfId.equals(d.originNode())).isPresent()) {
            return; // the publisher left, or the stream is ours again already
        }
        try {
            directory.claim(path.app(), path.streamId(), new ClaimRequest(p.protocol().toUpperCase(Locale.ROOT),
                    Addresses.host(p.remote())));
            log.info("{} is published here but its record was released elsewhere; claimed it again", path);
        } catch (StreamException e) {
            log.warn("{} is published here but could not be claimed again ({}); disconnecting its publisher", path,
                    e.getMessage());
            p.refuse(e);
        }
    }

    /** The publisher of {@code path} on this node, if an encoder publishes it here (not a relay pull). */
    private Optional<Publisher> publishedHere(StreamPath path) {
        return registry.find(path).filter(s -> !s.isEnded()).map(LiveStream::publisher)
                .filter(p -> !p.isClosed() && !"relay".equals(p.protocol()));
    }
}
