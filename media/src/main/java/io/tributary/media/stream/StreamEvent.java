package io.tributary.media.stream;

/** What happens to a stream's publisher, as its subscribers are told, in order with its frames. */
public enum StreamEvent {
    /** The publisher left; the stream waits for it during the republish grace. */
    PUBLISHER_LEFT,
    /** A publisher (the same encoder reconnecting, or another) took the stream up again. */
    PUBLISHER_RETURNED,
    /** The stream is over: subscribers finish their output and close. */
    ENDED
}
