package io.tributary.server;

import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.StreamRequest;
import io.tributary.server.broadcast.BroadcastService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * This node's answer to "may this client publish or play that stream?": application and stream id
 * rules, broadcast records, and whether the node is still taking clients.
 */
final class NodeStreams implements StreamGateway {
    private final List<String> apps;
    private final StreamRegistry registry;
    private final BroadcastService broadcasts;
    private final Executor storeExecutor;
    private volatile boolean stopping;

    NodeStreams(List<String> apps, StreamRegistry registry, BroadcastService broadcasts, Executor storeExecutor) {
        this.apps = List.copyOf(apps);
        this.registry = registry;
        this.broadcasts = broadcasts;
        this.storeExecutor = storeExecutor;
    }

    /** From now on new publishes and plays are refused as unavailable. */
    void stopTakingClients() {
        stopping = true;
    }

    @Override
    public boolean hasApp(String app) {
        return apps.contains(app);
    }

    @Override
    public CompletableFuture<Publisher> publish(StreamRequest request, Consumer<String> disconnector) {
        try {
            check(request);
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.supplyAsync(() -> {
            broadcasts.checkPublish(request.path());
            return registry.publish(request.path(), request.protocol(), request.remote(), disconnector);
        }, storeExecutor);
    }

    @Override
    public CompletableFuture<LiveStream> play(StreamRequest request) {
        try {
            check(request);
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        StreamPath path = request.path();
        return registry.find(path).filter(s -> !s.isEnded())
                .map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(new StreamException(
                        StreamException.Reason.NOT_FOUND, "No such stream: " + path + ".")));
    }

    private void check(StreamRequest request) {
        if (stopping) {
            throw new StreamException(StreamException.Reason.UNAVAILABLE, "The server is shutting down.");
        }
        if (!hasApp(request.path().app())) {
            throw new StreamException(StreamException.Reason.NOT_FOUND,
                    "No application " + request.path().app() + ".");
        }
        if (!StreamIds.isValid(request.path().streamId())) {
            throw new StreamException(StreamException.Reason.INVALID_NAME, "Invalid stream id '"
                    + request.path().streamId() + "': use 1 to " + StreamIds.MAX_LENGTH
                    + " letters, digits, '_', '-' or '.'.");
        }
    }
}
