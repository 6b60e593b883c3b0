package io.tributary.cluster.store;

/**
 * The cluster store could not be reached (connection refused, timeout). Callers keep serving what they
 * have and refuse what needs the store, with this message.
 */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
