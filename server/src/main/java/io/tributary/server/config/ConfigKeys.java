package io.tributary.server.config;

import static io.tributary.server.config.ValueType.bool;
import static io.tributary.server.config.ValueType.duration;
import static io.tributary.server.config.ValueType.integer;
import static io.tributary.server.config.ValueType.size;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Every configuration key the node reads. Adding a key is one declaration here plus its row in
 * {@code docs/configuration.md}; loading, environment variables, {@code --set}, flags and
 * {@code --print-config} follow from it.
 */
public final class ConfigKeys {
    // Declared before the keys: static initialisers run in order and every key registers itself here.
    private static final List<ConfigKey<?>> ALL = new ArrayList<>();

    private static final ValueType<Integer> PORT = integer(0, 65535);
    private static final String NAME = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    public static final ConfigKey<String> HOST = add(ConfigKey.of("host", ValueType.nonEmptyString(), "0.0.0.0",
            "address the node binds (and advertises)").flag("--host"));
    public static final ConfigKey<String> NODE_ID = add(ConfigKey.of("nodeId",
            ValueType.matching(NAME, "up to 64 letters, digits, '.', '_' or '-', not starting with a symbol"), null,
            "stable node identity; when not set the node generates one once and keeps it in dataDir")
            .flag("--node-id"));
    public static final ConfigKey<Path> DATA_DIR = add(ConfigKey.of("dataDir", ValueType.path(), "./data",
            "embedded store and node files").flag("--data-dir"));
    public static final ConfigKey<String> ADVERTISE = add(ConfigKey.of("advertise", ValueType.nonEmptyString(), null,
            "address players and redirects are sent to; defaults to host (required in a cluster when host is a "
                    + "wildcard address)").flag("--advertise"));
    public static final ConfigKey<String> INTERNAL_ADDRESS = add(ConfigKey.of("internalAddress",
            ValueType.nonEmptyString(), null, "address other nodes use to reach this one; defaults to advertise")
            .flag("--internal-address"));
    public static final ConfigKey<List<String>> ROLES = add(ConfigKey.of("roles",
            ValueType.list("origin|edge", "origin or edge"), "origin,edge",
            "what this node takes: origin (publishers), edge (players), or both").flag("--roles"));

    public static final ConfigKey<Integer> RTMP_PORT = add(ConfigKey.of("rtmp.port", PORT, "1935",
            "RTMP listen port").flag("--rtmp-port"));
    public static final ConfigKey<Integer> RTMP_CHUNK_SIZE = add(ConfigKey.of("rtmp.chunkSize",
            integer(128, 16_777_215), "60000", "outgoing RTMP chunk size sent to peers"));
    public static final ConfigKey<Long> RTMP_MAX_MESSAGE_SIZE = add(ConfigKey.of("rtmp.maxMessageSize", size(), "8MiB",
            "larger incoming RTMP messages close the connection"));
    public static final ConfigKey<Duration> RTMP_IDLE_TIMEOUT = add(ConfigKey.of("rtmp.idleTimeout", duration(), "20s",
            "a connection that neither publishes nor plays, or a publisher that sends nothing, is closed after this"));
    public static final ConfigKey<Integer> RTMP_WINDOW_ACK_SIZE = add(ConfigKey.of("rtmp.windowAckSize",
            integer(1, Integer.MAX_VALUE), "2500000", "acknowledgement window announced to peers"));
    public static final ConfigKey<Boolean> RTMP_REQUIRE_PROXY_PROTOCOL = add(ConfigKey.of("rtmp.requireProxyProtocol",
            bool(), "false", "an RTMP connection from a trusted proxy must start with a PROXY protocol header "
                    + "(HAProxy's send-proxy-v2); one that does not is closed"));

    public static final ConfigKey<Integer> HTTP_PORT = add(ConfigKey.of("http.port", PORT, "5080",
            "HTTP listen port (media and REST)").flag("--http-port"));
    public static final ConfigKey<Long> HTTP_MAX_REQUEST_SIZE = add(ConfigKey.of("http.maxRequestSize", size(), "1MiB",
            "larger request bodies get 413"));
    public static final ConfigKey<String> HTTP_CORS_ALLOW_ORIGIN = add(ConfigKey.of("http.corsAllowOrigin",
            ValueType.string(), "*", "Access-Control-Allow-Origin for media and REST"));
    public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT = add(ConfigKey.of("http.idleTimeout", duration(), "1m",
            "an HTTP connection that sends no request for this long is closed (HTTP-FLV players are exempt)"));

    public static final ConfigKey<List<String>> APPS = add(ConfigKey.of("apps",
            ValueType.list("[A-Za-z0-9_-]{1,64}", "names of letters, digits, '_' or '-'"), "live",
            "application names a client may use in rtmp://host/{app}/{streamId} and /{app}/...").flag("--apps"));

    public static final ConfigKey<Boolean> STREAM_ACCEPT_UNDEFINED = add(ConfigKey.of("stream.acceptUndefined", bool(),
            "true", "a publish for a stream id with no broadcast record creates one"));
    public static final ConfigKey<Duration> STREAM_REPUBLISH_GRACE = add(ConfigKey.of("stream.republishGrace",
            duration(), "10s", "players of a stream whose publisher stopped wait this long for it to return"));
    public static final ConfigKey<Long> STREAM_GOP_CACHE_MAX_BYTES = add(ConfigKey.of("stream.gopCacheMaxBytes", size(),
            "16MiB", "a GOP larger than this is not cached"));
    public static final ConfigKey<Duration> STREAM_ACCESS_WEBHOOK_TIMEOUT = add(ConfigKey.of(
            "stream.access.webhookTimeout", duration(), "3s",
            "an application's publish/play webhook that has not answered within this refuses the client"));
    public static final ConfigKey<Duration> STREAM_ACCESS_HLS_SESSION_LIFETIME = add(ConfigKey.of(
            "stream.access.hlsSessionLifetime", duration(), "4h",
            "how long an HLS/DASH viewing opened with a token may go on (its hlsSession URL parameter stays valid)"));

    public static final ConfigKey<Duration> PLAYER_MAX_LAG = add(ConfigKey.of("player.maxLag", duration(), "5s",
            "a player further behind than this skips to the next keyframe"));
    public static final ConfigKey<Integer> PLAYER_MAX_DROPS = add(ConfigKey.of("player.maxDrops",
            integer(1, Integer.MAX_VALUE), "3",
            "a player that has to skip this many times within a minute is disconnected"));

    public static final ConfigKey<String> HLS_MODE = add(ConfigKey.of("hls.mode", ValueType.matching("ts|fmp4|llhls", "ts, fmp4 or llhls"),
            "ts", "HLS format: ts (MPEG-TS segments), fmp4 (fMP4/CMAF segments, also served as DASH) or llhls "
                    + "(fMP4 with Low-Latency HLS parts); an application's stored settings may choose another"));
    public static final ConfigKey<Duration> HLS_SEGMENT_DURATION = add(ConfigKey.of("hls.segmentDuration", duration(),
            "2s", "aimed segment length: a segment ends at the first keyframe after 85% of it"));
    public static final ConfigKey<Duration> HLS_MAX_SEGMENT_DURATION = add(ConfigKey.of("hls.maxSegmentDuration",
            duration(), "6s", "longest segment when the publisher sends no keyframe; bounds the target duration"));
    public static final ConfigKey<Duration> HLS_PART_DURATION = add(ConfigKey.of("hls.partDuration", duration(),
            "333ms", "LL-HLS part length (PART-TARGET)"));
    public static final ConfigKey<Integer> HLS_LIST_SIZE = add(ConfigKey.of("hls.listSize", integer(3, 1000), "6",
            "segments in a live playlist"));
    public static final ConfigKey<Duration> HLS_IDLE_TIMEOUT = add(ConfigKey.of("hls.idleTimeout", duration(), "30s",
            "a stream's HLS muxer stops when nobody asked for its HLS this long"));
    public static final ConfigKey<Boolean> HLS_ALWAYS_ON = add(ConfigKey.of("hls.alwaysOn", bool(), "false",
            "mux every stream published here into HLS from its start, asked for or not; an application's stored "
                    + "settings may say otherwise"));
    public static final ConfigKey<Boolean> HLS_WRITE_TO_DISK = add(ConfigKey.of("hls.writeToDisk", bool(), "false",
            "also write each stream's playlist and segments under dataDir/hls/{app}/{streamId}/"));

    public static final ConfigKey<String> CLUSTER_STORE = add(ConfigKey.of("cluster.store", ValueType.nonEmptyString(),
            "embedded", "embedded (one node, no service), redis://host:port, redis-sentinel://host:port/0#master, "
                    + "mongodb://host:port/db, or peers (no store: nodes heartbeat each other over HTTP, joining "
                    + "through cluster.seeds)").flag("--cluster"));
    public static final ConfigKey<List<String>> CLUSTER_SEEDS = add(ConfigKey.of("cluster.seeds",
            ValueType.list("[A-Za-z0-9._\\[\\]:-]+:[0-9]{1,5}", "host:httpPort"), null,
            "peers mode: HTTP addresses (host:httpPort) of nodes this node joins through; the rest of the cluster "
                    + "is learned from them").flag("--seeds"));
    public static final ConfigKey<String> CLUSTER_SECRET = add(ConfigKey.of("cluster.secret", ValueType.string(), null,
            "shared secret that signs node-to-node tokens; at least 32 characters, required in a cluster")
            .flag("--cluster-secret").secret());
    public static final ConfigKey<List<String>> CLUSTER_PREVIOUS_SECRETS = add(ConfigKey.of(
            "cluster.previousSecrets", ValueType.list(".{32,}", "a secret of at least 32 characters"), null,
            "earlier secrets still accepted during a rotation").secret());
    public static final ConfigKey<String> CLUSTER_API_KEY = add(ConfigKey.of("cluster.apiKey", ValueType.string(), null,
            "key for /cluster/api/* (X-Cluster-Api-Key or Bearer); without it only cluster tokens are accepted")
            .flag("--cluster-api-key").secret());
    public static final ConfigKey<Duration> CLUSTER_HEARTBEAT_PERIOD = add(ConfigKey.of("cluster.heartbeatPeriod",
            duration(), "5s", "how often a node heartbeats"));
    public static final ConfigKey<Integer> CLUSTER_SUSPECT_AFTER = add(ConfigKey.of("cluster.suspectAfter",
            integer(1, 100), "2", "missed heartbeat periods after which a node is suspect"));
    public static final ConfigKey<Integer> CLUSTER_DEAD_AFTER = add(ConfigKey.of("cluster.deadAfter",
            integer(2, 1000), "4", "missed heartbeat periods after which a node is dead and its streams released"));
    public static final ConfigKey<Duration> CLUSTER_HEARTBEAT_TTL = add(ConfigKey.of("cluster.heartbeatTtl",
            duration(), "5s", "peers mode: how long a node waits for a peer's answer to one heartbeat; an answer "
                    + "that does not come within this is a missed heartbeat"));
    public static final ConfigKey<Duration> CLUSTER_SYNC_PERIOD = add(ConfigKey.of("cluster.syncPeriod", duration(),
            "30s", "how often the stream directory and settings are reread in full"));
    public static final ConfigKey<Duration> CLUSTER_ORIGIN_CHECK_TIMEOUT = add(ConfigKey.of(
            "cluster.originCheckTimeout", duration(), "1s",
            "a live stream's origin that does not answer its health check within this may be taken over"));
    public static final ConfigKey<Duration> CLUSTER_STORE_TIMEOUT = add(ConfigKey.of("cluster.storeTimeout",
            duration(), "2s", "a store call that takes longer fails (the store counts as unavailable)"));
    public static final ConfigKey<Duration> CLUSTER_NOTIFY_TIMEOUT = add(ConfigKey.of("cluster.notifyTimeout",
            duration(), "2s", "timeout of one notification to another node"));
    public static final ConfigKey<Integer> CLUSTER_NOTIFY_RETRIES = add(ConfigKey.of("cluster.notifyRetries",
            integer(0, 10), "2", "retries of a failed notification"));
    public static final ConfigKey<Duration> CLUSTER_TOKEN_TTL = add(ConfigKey.of("cluster.tokenTtl", duration(), "30s",
            "lifetime of a node-to-node token"));
    public static final ConfigKey<Duration> CLUSTER_CLOCK_SKEW = add(ConfigKey.of("cluster.clockSkew", duration(),
            "30s", "how far two nodes' clocks may differ for token expiry checks"));
    public static final ConfigKey<Duration> CLUSTER_RELAY_RELEASE_DELAY = add(ConfigKey.of("cluster.relay.releaseDelay",
            duration(), "10s", "an edge's pull of a stream ends this long after its last viewer left"));
    public static final ConfigKey<Integer> CLUSTER_RELAY_MAX_RETRY_ATTEMPTS = add(ConfigKey.of(
            "cluster.relay.maxRetryAttempts", integer(0, 100), "3", "failed pull attempts in a row before giving up"));
    public static final ConfigKey<Duration> CLUSTER_RELAY_RETRY_DELAY = add(ConfigKey.of("cluster.relay.retryDelay",
            duration(), "2s", "pause before retrying a failed pull"));
    public static final ConfigKey<Duration> CLUSTER_RELAY_ESTABLISH_TIMEOUT = add(ConfigKey.of(
            "cluster.relay.establishTimeout", duration(), "10s",
            "a pull that brings no media within this is abandoned (and one that stalls this long is restarted)"));
    public static final ConfigKey<Duration> CLUSTER_RELAY_HEALTH_CHECK_INTERVAL = add(ConfigKey.of(
            "cluster.relay.healthCheckInterval", duration(), "5s",
            "how often a pull waiting for its origin looks for it again"));
    public static final ConfigKey<Duration> CLUSTER_RELAY_FAILOVER_GRACE = add(ConfigKey.of(
            "cluster.relay.failoverGrace", duration(), "10s",
            "viewers of a pulled stream whose origin went away wait this long for it on another origin"));
    public static final ConfigKey<List<String>> CLUSTER_ORIGIN_NODES = add(ConfigKey.of("cluster.originNodes",
            ValueType.list("[A-Za-z0-9._\\[\\]:-]+:[0-9]{1,5}", "host:rtmpPort"), null,
            "origins (host:rtmpPort) an edge pulls from when the directory does not know a stream"));
    public static final ConfigKey<Path> CLUSTER_TLS_CERTIFICATE = add(ConfigKey.of("cluster.tls.certificate",
            ValueType.path(), null, "PEM certificate chain of this node; with key and ca, nodes talk HTTPS"));
    public static final ConfigKey<Path> CLUSTER_TLS_KEY = add(ConfigKey.of("cluster.tls.key", ValueType.path(), null,
            "PKCS#8 PEM private key of this node's certificate"));
    public static final ConfigKey<Path> CLUSTER_TLS_CA = add(ConfigKey.of("cluster.tls.ca", ValueType.path(), null,
            "PEM CA certificate that signs every node's certificate"));
    public static final ConfigKey<Integer> CLUSTER_ROUTING_CPU_THRESHOLD = add(ConfigKey.of(
            "cluster.routing.cpuThreshold", integer(0, 100), "85",
            "CPU use (percent of the machine) above which a node takes no new players"));
    public static final ConfigKey<Integer> CLUSTER_ROUTING_BANDWIDTH_THRESHOLD = add(ConfigKey.of(
            "cluster.routing.bandwidthThreshold", integer(0, 10_000_000), "8000",
            "egress (Mbit/s) above which a node takes no new players"));
    public static final ConfigKey<Integer> CLUSTER_ROUTING_SUBSCRIBER_THRESHOLD = add(ConfigKey.of(
            "cluster.routing.subscriberThreshold", integer(0, Integer.MAX_VALUE), "2000",
            "players above which a node takes no new players"));
    public static final ConfigKey<Boolean> CLUSTER_ROUTING_REDIRECT = add(ConfigKey.of("cluster.routing.redirect",
            bool(), "false", "an HTTP-FLV player of a node that cannot take it is redirected (302) to the best node"));
    public static final ConfigKey<Integer> CLUSTER_ALLOCATION_CANDIDATE_LIMIT = add(ConfigKey.of(
            "cluster.allocation.candidateLimit", integer(1, 100), "3",
            "candidates an allocation lists when the request gives no limit"));
    public static final ConfigKey<Duration> CLUSTER_ALLOCATION_TICKET_TTL = add(ConfigKey.of(
            "cluster.allocation.ticketTtl", duration(), "30s",
            "how long an allocation counts as one more client on the node it chose"));

    public static final ConfigKey<Integer> SERVER_IO_THREADS = add(ConfigKey.of("server.ioThreads", integer(0, 4096),
            "0", "network event loop threads (0 = one per core)"));
    public static final ConfigKey<Duration> SERVER_SHUTDOWN_TIMEOUT = add(ConfigKey.of("server.shutdownTimeout",
            duration(), "5s", "how long a clean stop may take"));
    public static final ConfigKey<List<String>> SERVER_TRUSTED_PROXIES = add(ConfigKey.of("server.trustedProxies",
            ValueType.list("[0-9A-Fa-f.:]+(/[0-9]{1,3})?", "IP addresses or CIDR blocks such as 10.0.0.0/8"), null,
            "load balancers whose X-Forwarded-For and PROXY protocol headers name the real client"));

    public static final ConfigKey<List<String>> REST_ALLOWED_CIDRS = add(ConfigKey.of("rest.allowedCidrs",
            ValueType.list("none|[0-9A-Fa-f.:]+(/[0-9]{1,3})?", "IP addresses or CIDR blocks, or none"),
            "127.0.0.1/32,::1/128", "clients from these addresses may call the REST API without signing in "
                    + "(none: every call needs a token or an API key)"));
    public static final ConfigKey<List<String>> REST_API_KEYS = add(ConfigKey.of("rest.apiKeys",
            ValueType.list("[!-~]{16,256}", "keys of 16 to 256 printable characters"), null,
            "keys that open the REST API to scripts (X-Api-Key header or Authorization: Bearer)").secret());
    public static final ConfigKey<String> AUTH_ADMIN_USER = add(ConfigKey.of("auth.adminUser",
            ValueType.matching("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}", "a user name of letters, digits, '.', '_', '@' "
                    + "or '-'"), null, "user created at start when the store has no users (with auth.adminPassword)"));
    public static final ConfigKey<String> AUTH_ADMIN_PASSWORD = add(ConfigKey.of("auth.adminPassword",
            ValueType.string(), null, "password of auth.adminUser (8 to 256 characters); used only to create that "
                    + "user").secret());
    public static final ConfigKey<Duration> AUTH_TOKEN_TTL = add(ConfigKey.of("auth.tokenTtl", duration(), "12h",
            "how long a sign-in token (dashboard, REST) is valid"));
    public static final ConfigKey<Integer> AUTH_MAX_FAILED_SIGN_INS = add(ConfigKey.of("auth.maxFailedSignIns",
            integer(1, 1000), "5", "wrong passwords an address may send within auth.failedSignInWindow before it "
                    + "must wait (429)"));
    public static final ConfigKey<Duration> AUTH_FAILED_SIGN_IN_WINDOW = add(ConfigKey.of("auth.failedSignInWindow",
            duration(), "5m", "the window auth.maxFailedSignIns counts in"));

    public static final ConfigKey<Boolean> METRICS_ENABLED = add(ConfigKey.of("metrics.enabled", bool(), "true",
            "serve Prometheus metrics at GET /metrics (open, like /health)"));

    public static final ConfigKey<String> LOG_LEVEL = add(ConfigKey.of("log.level",
            ValueType.oneOf("TRACE", "DEBUG", "INFO", "WARN", "ERROR"), "INFO",
            "root log level: TRACE, DEBUG, INFO, WARN or ERROR").flag("--log-level"));

    private ConfigKeys() {
    }

    /** All keys in declaration order, which is the order of {@code --print-config} and the docs. */
    public static List<ConfigKey<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The key called {@code name}, if there is one. */
    public static Optional<ConfigKey<?>> find(String name) {
        return ALL.stream().filter(key -> key.name().equals(name)).findFirst();
    }

    private static <T> ConfigKey<T> add(ConfigKey<T> key) {
        for (ConfigKey<?> other : ALL) {
            if (other.name().equals(key.name()) || other.envName().equals(key.envName())
                    || (key.cliFlag().isPresent() && key.cliFlag().equals(other.cliFlag()))) {
                throw new IllegalStateException(key + " clashes with " + other);
            }
        }
        ALL.add(key);
        return key;
    }
}
