package io.tributary.rtmp.handshake;

/**
 * User event fired down the pipeline by {@link ServerHandshakeHandler} and
 * {@link ClientHandshakeHandler} once the handshake is over, just before they remove themselves;
 * the chunk stream starts with the next byte the next handler receives.
 */
public final class HandshakeCompleted {

    public static final HandshakeCompleted INSTANCE = new HandshakeCompleted();

    private HandshakeCompleted() {
    }

    @Override
    public String toString() {
        return "HandshakeCompleted";
    }
}
