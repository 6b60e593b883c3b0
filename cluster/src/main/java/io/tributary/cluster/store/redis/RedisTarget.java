package io.tributary.cluster.store.redis;

import io.lettuce.core.RedisURI;
import io.tributary.cluster.store.StoreException;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a {@link RedisStore} connects: the URI as Lettuce reads it, checked, with the command timeout
 * applied, and the way messages name it (never with its password).
 *
 * <p>Accepted forms (Lettuce's {@code RedisURI.create} syntax):
 * <ul>
 * <li>{@code redis://[[user:]password@]host[:port][/db]} (port 6379, db 0 by default; a password alone
 *     is the default user's, as for {@code requirepass});</li>
 * <li>{@code rediss://...} the same over TLS;</li>
 * <li>{@code redis-sentinel://[password@]host[:port][,host2[:port2]...][/db]#masterName} (Sentinel
 *     port 26379 by default): the Sentinels are asked for the master's address at every (re)connect, so a
 *     failover is followed. The password is the data nodes'; the Sentinels themselves are reached without
 *     one. {@code rediss-sentinel://} connects over TLS.</li>
 * </ul>
 * Query parameters Lettuce knows ({@code clientName}, {@code database}) are honoured, except
 * {@code timeout}: the store's command timeout always applies. Unix sockets and Redis Cluster are not
 * supported.
 */
final class RedisTarget {

    private static final Set<String> SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

    private final RedisURI uri;
    private final String description;

    private RedisTarget(RedisURI uri, String description) {
        this.uri = uri;
        this.description = description;
    }

    /** Fails with a {@link StoreException} that says what is wrong with {@code text}. */
    static RedisTarget parse(String text, Duration commandTimeout) {
        Objects.requireNonNull(text, "uri");
        Objects.requireNonNull(commandTimeout, "commandTimeout");
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("the Redis command timeout must be positive: " + commandTimeout);
        }
        int schemeEnd = text.indexOf("://");
        String scheme = schemeEnd < 0 ? "" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new StoreException("unsupported Redis URI '" + redact(text)
                    + "': use redis://host:port, rediss://host:port or redis-sentinel://host:port/0#master");
        }
        boolean sentinel = scheme.endsWith("sentinel");
        if (sentinel && (!text.contains("#") || text.endsWith("#"))) {
            throw noMaster(text);
        }
        RedisURI uri;
        try {
            uri = RedisURI.create(text);
        } catch (RuntimeException e) {
            throw new StoreException("invalid Redis URI '" + redact(text) + "': "
                    + String.valueOf(e.getMessage()).replace(text, redact(text)));
        }
        uri.setTimeout(commandTimeout);
        if (!sentinel) {
            return new RedisTarget(uri, "Redis at " + uri.getHost() + ":" + uri.getPort());
        }
        if (uri.getSentinelMasterId() == null || uri.getSentinelMasterId().isBlank()) {
            throw noMaster(text);
        }
        uri.getSentinels().forEach(s -> s.setTimeout(commandTimeout));
        String sentinels = uri.getSentinels().stream()
                .map(s -> s.getHost() + ":" + s.getPort())
                .collect(Collectors.joining(","));
        return new RedisTarget(uri, "Redis master '" + uri.getSentinelMasterId() + "' via Sentinel " + sentinels);
    }

    private static StoreException noMaster(String text) {
        return new StoreException("Redis URI '" + redact(text) + "' names no master: write it after '#', "
                + "as in redis-sentinel://host:26379/0#mymaster");
    }

    RedisURI uri() {
        return uri;
    }

    boolean viaSentinel() {
        return uri.getSentinelMasterId() != null;
    }

    String masterName() {
        return uri.getSentinelMasterId();
    }

    /** "Redis at host:port", or "Redis master 'name' via Sentinel host:port,...", for messages. */
    @Override
    public String toString() {
        return description;
    }

    /** The URI with any user information hidden, for messages and logs. */
    static String redact(String text) {
        return text.replaceAll("//[^@/]*@", "//***@");
    }
}
