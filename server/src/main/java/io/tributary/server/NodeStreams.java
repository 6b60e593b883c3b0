package io.tributary.server;

import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.directory.ClaimRequest;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.StreamRequest;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * This node's answer to "may this client publish or play that stream?": application and stream id
 * rules, the node's roles, the stream directory (a publish claims the stream cluster-wide first), and
 * whether the node is still taking clients.
 */
final class NodeStreams implements StreamGateway {
    private final List<String> apps;
    private final List<String> roles;
    private final StreamRegistry registry;
    private final StreamDirectory directory;
    private final Executor storeExecutor;
    private volatile boolean stopping;

    NodeStreams(List<String> apps, List<String> roles, StreamRegistry registry, StreamDirectory directory,
                Executor storeExecutor) {
        this.apps = List.copyOf(apps);
        this.roles = List.copyOf(roles);
        this.registry = registry;
        this.directory = directory;
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
            if (!roles.contains("origin")) {
                throw new StreamException(StreamException.Reason.FORBIDDEN,
                        "This node is an edge and takes no publishers; publish to an origin node.");
            }
            busyHere(request.path());
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Claims run one at a time on the store executor, so the local check and the claim cannot interleave.
        return CompletableFuture.supplyAsync(() -> {
            busyHere(request.path());
            directory.claim(request.path().app(), request.path().streamId(), new ClaimRequest(
                    request.protocol().toUpperCase(Locale.ROOT), Addresses.host(request.remote())));
            return registry.publish(request.path(), request.protocol(), request.remote(), disconnector);
        }, storeExecutor);
    }

    private void busyHere(StreamPath path) {
        Optional<LiveStream> local = registry.find(path);
        if (local.isPresent() && local.get().publisher() != null) {
            throw new StreamException(StreamException.Reason.BUSY, "Stream " + path
                    + " is already being published from " + Addresses.format(local.get().publisher().remote()) + ".");
        }
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
                .orElseGet(() -> CompletableFuture.failedFuture(notHere(path)));
    }

    private StreamException notHere(StreamPath path) {
        Optional<DirectoryEntry> elsewhere = directory.lookup(path.app(), path.streamId()).filter(DirectoryEntry::live);
        String where = elsewhere.map(e -> " It is published on node " + e.originNode()
                + (e.originAddress() != null ? " (" + e.originAddress() + ")" : "") + "; play it there.").orElse("");
        return new StreamException(StreamException.Reason.NOT_FOUND, "No such stream: " + path + "." + where);
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
