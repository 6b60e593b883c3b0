package io.tributary.rtmp.server;

import io.tributary.media.stream.PlayGrant;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.StreamRequest;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The smallest gateway: the "live" application, streams straight from a registry. */
final class RegistryGateway implements StreamGateway {
    private final StreamRegistry registry;

    RegistryGateway(StreamRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean hasApp(String app) {
        return app.equals("live");
    }

    @Override
    public CompletableFuture<Publisher> publish(StreamRequest request, Consumer<String> disconnector) {
        try {
            return CompletableFuture.completedFuture(
                    registry.publish(request.path(), request.protocol(), request.remote(), disconnector));
        } catch (StreamException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<PlayGrant> play(StreamRequest request) {
        return registry.find(request.path()).filter(s -> !s.isEnded())
                .map(s -> CompletableFuture.completedFuture(PlayGrant.viewer(s)))
                .orElseGet(() -> CompletableFuture.failedFuture(new StreamException(
                        StreamException.Reason.NOT_FOUND, "No such stream: " + request.path() + ".")));
    }
}
