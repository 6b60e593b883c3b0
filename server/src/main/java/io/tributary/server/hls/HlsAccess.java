package io.tributary.server.hls;

import io.tributary.media.stream.StreamRequest;
import java.util.concurrent.CompletableFuture;

/**
 * Whether an HLS or DASH request may be answered. A player shows its token once, on the playlist (or
 * manifest) request; from then on a session parameter, which every URI the node serves it carries, lets its
 * reloads and media requests through. Refusals fail the future with a StreamException.
 */
public interface HlsAccess {

    /**
     * The answer to an allowed request.
     *
     * @param query the {@code name=value} every URI in the answer carries, or null for none (an open stream)
     * @param fresh whether the session was opened by this request: the player is sent to the playlist URL that
     *     carries it, so that its reloads carry it too
     */
    record Grant(String query, boolean fresh) {
        public static final Grant OPEN = new Grant(null, false);
    }

    /** A playlist or manifest request: checks its session, or its token (and opens a session). */
    CompletableFuture<Grant> playlist(StreamRequest request);

    /** A segment, part or initialization segment request: checks its session. */
    CompletableFuture<Grant> media(StreamRequest request);
}
