package io.tributary.server.http;

/** A request a route cannot accept; answered with 400 and this message. */
public final class BadRequestException extends RuntimeException {
    public BadRequestException(String message) {
        super(message, null, false, false);
    }
}
