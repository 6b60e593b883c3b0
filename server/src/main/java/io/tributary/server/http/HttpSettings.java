package io.tributary.server.http;

/**
 * HTTP listener settings.
 *
 * @param maxRequestSize larger request bodies are answered with 413
 * @param corsAllowOrigin the Access-Control-Allow-Origin sent with media and API responses
 * @param idleTimeout a connection that sends no request for this long is closed
 */
public record HttpSettings(int maxRequestSize, String corsAllowOrigin, java.time.Duration idleTimeout) {
}
