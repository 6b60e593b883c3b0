package io.tributary.media.stream;

/**
 * The answer to a play request: the stream to subscribe to, and whether the subscriber counts as a
 * viewer (a relay pull from another node does not).
 */
public record PlayGrant(LiveStream stream, boolean viewer) {

    public static PlayGrant viewer(LiveStream stream) {
        return new PlayGrant(stream, true);
    }

    public static PlayGrant relay(LiveStream stream) {
        return new PlayGrant(stream, false);
    }
}
