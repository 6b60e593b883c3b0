package io.tributary.media.stream;

/** Hears about publishes on this node: broadcast records, logs and (later) the cluster directory use it. */
public interface StreamListener {

    default void publishStarted(LiveStream stream, Publisher publisher) {
    }

    default void publishStopped(LiveStream stream, Publisher publisher) {
    }

    /** The stream is gone: no publisher and no more waiting for one. */
    default void streamEnded(LiveStream stream) {
    }
}
