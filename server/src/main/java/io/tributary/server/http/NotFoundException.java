package io.tributary.server.http;

/** The thing a request names does not exist; answered with 404 and this message. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
