package io.tributary.media.stream;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where protocol adapters ask for streams. The node decides here whether a publish or play may happen
 * (names, apps, broadcast records, later access control and the cluster), so adapters stay free of
 * policy. Refusals complete the future with a {@link StreamException} whose reason each protocol maps to
 * its own status.
 */
public interface StreamGateway {

    /** Whether clients may use this application name at all. */
    boolean hasApp(String app);

    /**
     * Starts a publish.
     *
     * @param disconnector how the node closes this publisher's connection (operator action, shutdown)
     */
    CompletableFuture<Publisher> publish(StreamRequest request, Consumer<String> disconnector);

    /** Finds the stream to play (on an edge this may first start a pull from the stream's origin). */
    CompletableFuture<PlayGrant> play(StreamRequest request);
}
