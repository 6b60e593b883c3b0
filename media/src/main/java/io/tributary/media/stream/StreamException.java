package io.tributary.media.stream;

/** A publish or play request that cannot be served, with a reason every protocol can map to its own status. */
public final class StreamException extends RuntimeException {

    /** Why a request was refused. */
    public enum Reason {
        /** The stream already has a publisher. */
        BUSY,
        /** The stream id or app name is not acceptable. */
        INVALID_NAME,
        /** No such stream (or app). */
        NOT_FOUND,
        /** The request carries no valid credentials. */
        UNAUTHORIZED,
        /** The credentials are valid but do not allow this. */
        FORBIDDEN,
        /** The node cannot take it now (draining, store unavailable, shutting down). */
        UNAVAILABLE
    }

    private final Reason reason;

    public StreamException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
