package io.tributary.media.stream;

import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Frame;

/**
 * Receives a live stream. Every callback runs on {@link #executor()}, in stream order; frames are lent
 * for the duration of the call (retain one to keep it).
 */
public interface Subscriber {

    /** The thread all callbacks run on; subscribers of one executor are served together in one batch. */
    EventExecutor executor();

    /** Short protocol name used for viewer counts and logs: "rtmp", "flv", "hls", "relay". */
    String protocol();

    /** Whether this subscriber is a viewer (counted in the broadcast's viewer counts); relays are not. */
    default boolean isViewer() {
        return true;
    }

    /** First call: codec configuration, metadata and the cached GOP, so a player can start at once. */
    void onStart(StreamSnapshot snapshot);

    void onFrame(Frame frame);

    /** End of a batch of frames: the moment to flush buffered output. */
    void onFlush();

    void onEvent(StreamEvent event);
}
