package io.tributary.rtmp.chunk;

import io.netty.handler.codec.DecoderException;

/**
 * The peer broke the RTMP chunk stream protocol; the connection cannot continue. A
 * {@link DecoderException} (hence a {@link RuntimeException}) so that it reaches
 * {@code exceptionCaught} as itself rather than wrapped by {@code ByteToMessageDecoder}.
 */
public final class RtmpProtocolException extends DecoderException {

    public RtmpProtocolException(String message) {
        super(message);
    }
}
