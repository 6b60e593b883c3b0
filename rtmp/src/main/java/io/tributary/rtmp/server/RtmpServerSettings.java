package io.tributary.rtmp.server;

import java.time.Duration;

/**
 * RTMP listener settings.
 *
 * @param chunkSize outgoing chunk size announced to every peer
 * @param maxMessageSize larger incoming messages close the connection
 * @param idleTimeout a connection that neither publishes nor plays, or a publisher that sends nothing,
 *     is closed after this
 * @param windowAckSize acknowledgement window announced to peers
 */
public record RtmpServerSettings(int chunkSize, int maxMessageSize, Duration idleTimeout, int windowAckSize) {

    /** More partially received messages than this at once is an attack, not an encoder. */
    public static final int MAX_CHUNK_STREAMS = 64;

    public static RtmpServerSettings defaults() {
        return new RtmpServerSettings(60_000, 8 << 20, Duration.ofSeconds(20), 2_500_000);
    }
}
