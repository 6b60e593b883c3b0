package io.tributary.server;

import io.tributary.cluster.broadcast.StreamIds;
import io.tributary.cluster.directory.ClaimRequest;
import io.tributary.cluster.directory.DirectoryEntry;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.cluster.relay.RelayManager;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.PlayGrant;
import io.tributary.server.access.StreamAccess;
import io.tributary.server.cluster.RelayAuthorizer;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.StreamRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * This node's answer to "may this client publish or play that stream?": application and stream id
 * rules, the application's access control (tokens, addresses, webhooks), the node's roles, the stream
 * directory (a publish claims the stream cluster-wide first), and whether the node is still taking clients.
 */
final class NodeStreams implements StreamGateway {
    private final List<String> apps;
    private final List<String> roles;
    private final StreamRegistry registry;
    private final StreamDirectory directory;
    private final Executor storeExecutor;
    private final RelayManager relays;
    private final RelayAuthorizer relayAuth;
    private final StreamAccess access;
    /** Publishes between their claim in the directory and their registration here. */
    private final Map<StreamPath, CompletableFuture<Void>> landings = new ConcurrentHashMap<>();
    private volatile boolean stopping;
    private volatile BooleanSupplier draining = () -> false;

    NodeStreams(List<String> apps, List<String> roles, StreamRegistry registry, StreamDirectory directory,
                Executor storeExecutor, RelayManager relays, RelayAuthorizer relayAuth, StreamAccess access) {
        this.access = access;
        this.relays = relays;
        this.relayAuth = relayAuth;
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

    /**
     * While {@code draining} answers true, new publishes and plays are refused as unavailable. Current
     * ones carry on, and so do relay pulls: other nodes' viewers of streams published here depend on them.
     */
    void drainWith(BooleanSupplier draining) {
        this.draining = draining;
    }

    private StreamException drainingRefusal() {
        return new StreamException(StreamException.Reason.UNAVAILABLE,
                "This node is draining: it takes no new publishers/players.");
    }

    @Override
    public boolean hasApp(String app) {
        return apps.contains(app);
    }

    @Override
    public CompletableFuture<Publisher> publish(StreamRequest request, Consumer<String> disconnector) {
        try {
            check(request);
            if (draining.getAsBoolean()) {
                throw drainingRefusal();
            }
            if (!roles.contains("origin")) {
                throw new StreamException(StreamException.Reason.FORBIDDEN,
                        "This node is an edge and takes no publishers; publish to an origin node.");
            }
            busyHere(request.path());
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        // Claims run one at a time on the store executor, so the local check and the claim cannot interleave.
        return access.publish(request).thenApplyAsync(allowed -> claim(request, disconnector), storeExecutor);
    }

    /** Claims the stream in the directory and registers its publisher here (on the store executor). */
    private Publisher claim(StreamRequest request, Consumer<String> disconnector) {
        StreamPath path = request.path();
        busyHere(path);
        CompletableFuture<Void> landing = new CompletableFuture<>();
        landings.put(path, landing);
        try {
            directory.claim(path.app(), path.streamId(), new ClaimRequest(
                    request.protocol().toUpperCase(Locale.ROOT), Addresses.host(request.remote())));
            Publisher publisher = registry.publish(path, request.protocol(), request.remote(), disconnector);
            landing.complete(null);
            return publisher;
        } catch (RuntimeException e) {
            landing.completeExceptionally(e);
            throw e;
        } finally {
            landings.remove(path, landing);
        }
    }

    private void busyHere(StreamPath path) {
        Optional<LiveStream> local = registry.find(path);
        if (local.isPresent() && local.get().publisher() != null) {
            throw new StreamException(StreamException.Reason.BUSY, "Stream " + path
                    + " is already being published from " + Addresses.format(local.get().publisher().remote()) + ".");
        }
    }

    /**
     * A stream published here plays at once. A relay pull from another node (a cluster token in the
     * request) is checked and never counted as a viewer; it is served only from a stream this node is
     * the origin of, so relays cannot form loops. Otherwise the viewer's access is checked (before any
     * relay starts) and the stream is pulled from its origin.
     */
    @Override
    public CompletableFuture<PlayGrant> play(StreamRequest request) {
        return play(request, true);
    }

    /**
     * The gateway for this node's own HLS muxers: they play streams without a viewer's access check,
     * because HLS checks every viewer's playlist and media requests itself.
     */
    StreamGateway forMuxers() {
        return new StreamGateway() {
            @Override
            public boolean hasApp(String app) {
                return NodeStreams.this.hasApp(app);
            }

            @Override
            public CompletableFuture<Publisher> publish(StreamRequest request, Consumer<String> disconnector) {
                return NodeStreams.this.publish(request, disconnector);
            }

            @Override
            public CompletableFuture<PlayGrant> play(StreamRequest request) {
                return NodeStreams.this.play(request, false);
            }
        };
    }

    private CompletableFuture<PlayGrant> play(StreamRequest request, boolean checkAccess) {
        try {
            check(request);
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
        StreamPath path = request.path();
        String token = request.params().get(RelayAuthorizer.PARAM);
        if (token != null) {
            Optional<String> refused = relayAuth.check(token, path);
            if (refused.isPresent()) {
                return CompletableFuture.failedFuture(new StreamException(StreamException.Reason.UNAUTHORIZED,
                        "Relay pull of " + path + " refused: " + refused.get()));
            }
            // The claim announces the stream a moment before its publisher is registered here: an edge that
            // heard of it already waits for that moment rather than being turned away.
            CompletableFuture<Void> landing = landings.get(path);
            return landing == null ? servePull(path) : landing.handle((v, e) -> null).thenCompose(v -> servePull(path));
        }
        if (draining.getAsBoolean()) {
            return CompletableFuture.failedFuture(drainingRefusal());
        }
        return checkAccess ? access.play(request).thenCompose(allowed -> grant(path)) : grant(path);
    }

    private CompletableFuture<PlayGrant> grant(StreamPath path) {
        Optional<LiveStream> local = registry.find(path).filter(s -> !s.isEnded());
        if (local.isPresent()) {
            return CompletableFuture.completedFuture(PlayGrant.viewer(local.get()));
        }
        if (relays != null && relays.canRelay(path)) {
            return relays.attach(path).thenApply(PlayGrant::viewer);
        }
        return CompletableFuture.failedFuture(notHere(path));
    }

    /** A relay pull is served only from a stream published here, never from one this node relays itself. */
    private CompletableFuture<PlayGrant> servePull(StreamPath path) {
        Optional<LiveStream> local = registry.find(path).filter(s -> !s.isEnded());
        if (local.isEmpty() || local.get().publisher() == null || "relay".equals(local.get().publisher().protocol())) {
            return CompletableFuture.failedFuture(new StreamException(StreamException.Reason.NOT_FOUND,
                    "This node is not the origin of " + path + "; relays pull only from origins."));
        }
        return CompletableFuture.completedFuture(PlayGrant.relay(local.get()));
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
