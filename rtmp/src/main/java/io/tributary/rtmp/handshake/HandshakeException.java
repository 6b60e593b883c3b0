package io.tributary.rtmp.handshake;

import io.netty.handler.codec.DecoderException;

/**
 * A handshake the peer got wrong. A {@link DecoderException} so that it reaches
 * {@code exceptionCaught} as itself rather than wrapped by {@code ByteToMessageDecoder}.
 */
public final class HandshakeException extends DecoderException {

    public HandshakeException(String message) {
        super(message);
    }
}
