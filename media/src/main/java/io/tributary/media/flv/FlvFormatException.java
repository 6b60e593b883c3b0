package io.tributary.media.flv;

/** An FLV tag body that cannot be understood; the message says what was wrong with it. */
public final class FlvFormatException extends RuntimeException {
    public FlvFormatException(String message) {
        super(message);
    }
}
