package io.tributary.media.stream;

import java.util.function.Consumer;

/**
 * How the node ends a publish from its side, given by the protocol that carries it: {@link #accept} closes
 * the encoder's connection with a reason (an operator action, shutdown). A protocol that can also say
 * "your publish is refused" in its own terms (RTMP's {@code NetStream.Publish.BadName}) implements
 * {@link #refuse}; otherwise a refusal is an ordinary disconnect.
 */
@FunctionalInterface
public interface Disconnector extends Consumer<String> {

    /**
     * The node may no longer take this publish (another node won the stream): ends it the way the protocol
     * answers a refused publish with {@code why}'s reason.
     */
    default void refuse(StreamException why) {
        accept(why.getMessage());
    }
}
