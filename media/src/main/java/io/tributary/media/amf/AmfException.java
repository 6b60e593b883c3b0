package io.tributary.media.amf;

/**
 * Thrown when AMF bytes are malformed, truncated or use a type this codec does not support.
 * Decoders throw only this, so a connection handler can reject one bad message with one catch.
 */
public final class AmfException extends RuntimeException {

    public AmfException(String message) {
        super(message);
    }
}
