package io.tributary.cluster.comm;

/** A cluster token was refused; {@link #reason()} says why for code, the message says why for an operator. */
public final class ClusterTokenException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** No token was sent. */
        MISSING,
        /** Not a JWT, or a JWT without the claims every cluster token has. */
        MALFORMED,
        /** The signature does not match: the token was changed or signed with another key. */
        BAD_SIGNATURE,
        /** Signed with a key that is neither the current cluster secret nor a previous one. */
        UNKNOWN_KEY,
        /** Not HS256 (including unsigned "none" tokens). */
        WRONG_ALGORITHM,
        /** Past its expiry, beyond the allowed clock skew. */
        EXPIRED,
        /** Not valid yet (or issued in the future), beyond the allowed clock skew. */
        NOT_YET_VALID,
        /** Meant for another node. */
        WRONG_AUDIENCE
    }

    private final Reason reason;

    public ClusterTokenException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
