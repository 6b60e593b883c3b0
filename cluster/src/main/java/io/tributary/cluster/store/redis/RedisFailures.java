package io.tributary.cluster.store.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandInterruptedException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.tributary.cluster.store.StoreException;
import io.tributary.cluster.store.StoreUnavailableException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * Turns Lettuce's exceptions into the store's: {@link StoreUnavailableException} when Redis cannot be
 * reached or cannot serve now (refused, timed out, disconnected, loading, failing over), a plain
 * {@link StoreException} when it answered with an error, each with a message that names the server and the
 * reason in words, never a Lettuce stack trace in a log line.
 */
final class RedisFailures {

    /** Error replies that mean "not now" rather than "never": the caller may retry once Redis recovers. */
    private static final List<String> TRANSIENT = List.of("LOADING", "BUSY", "MASTERDOWN", "READONLY",
            "TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS");

    private final RedisTarget target;
    private final Duration timeout;

    RedisFailures(RedisTarget target, Duration timeout) {
        this.target = target;
        this.timeout = timeout;
    }

    /** A command failed. */
    StoreException command(RuntimeException e) {
        if (e instanceof RedisCommandInterruptedException) {
            Thread.currentThread().interrupt();
            return new StoreException("interrupted while waiting for " + target, e);
        }
        if (e instanceof RedisCommandExecutionException) {
            String reply = String.valueOf(e.getMessage());
            if (TRANSIENT.stream().anyMatch(reply::startsWith)) {
                return unavailable(reply, e);
            }
            return new StoreException(target + " refused a command: " + reply, e);
        }
        if (e instanceof RedisCommandTimeoutException) {
            return unavailable("no answer within " + words(timeout), e);
        }
        return unavailable(reason(e), e);
    }

    /** Connecting at start-up failed. */
    StoreException connecting(RuntimeException e) {
        String what = "cannot connect to " + target + ": ";
        RedisCommandExecutionException refusal = find(e, RedisCommandExecutionException.class);
        if (refusal != null) {
            String reply = String.valueOf(refusal.getMessage());
            if (reply.startsWith("NOAUTH")) {
                return new StoreException(what + "authentication failed: the server requires a password "
                        + "and the URI gives none (" + reply + ")", e);
            }
            if (reply.startsWith("WRONGPASS") || reply.contains("invalid password") || reply.startsWith("ERR AUTH")) {
                return new StoreException(what + "authentication failed: wrong user name or password in the URI ("
                        + reply + ")", e);
            }
            return new StoreException(what + reply, e);
        }
        String message = String.valueOf(e.getMessage());
        if (target.viaSentinel() && message.startsWith("Cannot provide redisAddress using sentinel")) {
            return new StoreException(what + "unknown sentinel master: the Sentinels know no master named '"
                    + target.masterName() + "'", e);
        }
        if (target.viaSentinel() && message.startsWith("Cannot connect to a Redis Sentinel")) {
            return new StoreUnavailableException(what + "no Sentinel answered (" + reason(e) + ")", e);
        }
        return new StoreUnavailableException(what + reason(e), e);
    }

    StoreUnavailableException unavailable(String reason, Throwable cause) {
        return new StoreUnavailableException(target + " is unreachable: " + reason, cause);
    }

    /** The reason in words, from the innermost cause that has one. */
    private String reason(Throwable e) {
        if (find(e, ConnectException.class) != null) {
            return "connection refused";
        }
        if (find(e, UnknownHostException.class) != null) {
            return "unknown host " + find(e, UnknownHostException.class).getMessage();
        }
        if (find(e, NoRouteToHostException.class) != null) {
            return "no route to host";
        }
        SSLException tls = find(e, SSLException.class);
        if (tls != null) {
            return "TLS failed: " + tls.getMessage();
        }
        if (find(e, RedisCommandTimeoutException.class) != null) {
            return "no answer within " + words(timeout) + " (for rediss://, is TLS enabled on the server?)";
        }
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Currently not connected") || message.startsWith("Connection disconnected")) {
            return "not connected (reconnecting in the background)";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static <T extends Throwable> T find(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String words(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
