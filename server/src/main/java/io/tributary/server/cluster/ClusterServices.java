package io.tributary.server.cluster;

import io.tributary.cluster.allocation.AllocationManager;
import io.tributary.cluster.allocation.AllocationSettings;
import io.tributary.cluster.allocation.NodeUrls;
import io.tributary.cluster.allocation.RedirectDecision;
import io.tributary.cluster.allocation.RoutingThresholds;
import io.tributary.cluster.comm.ClusterHttp;
import io.tributary.cluster.comm.ClusterNotifier;
import io.tributary.cluster.comm.ClusterSecrets;
import io.tributary.cluster.comm.ClusterTls;
import io.tributary.cluster.comm.ClusterTokens;
import io.tributary.cluster.directory.StreamDirectory;
import io.tributary.cluster.membership.Membership;
import io.tributary.cluster.membership.MembershipSettings;
import io.tributary.cluster.node.NodeIdentity;
import io.tributary.cluster.node.NodeRecord;
import io.tributary.cluster.relay.RelayManager;
import io.tributary.cluster.relay.RelaySettings;
import io.tributary.cluster.relay.RelayTokens;
import io.tributary.cluster.settings.AppSettings;
import io.tributary.cluster.settings.AppSettingsCache;
import io.tributary.cluster.settings.StreamAccessSettings;
import io.tributary.cluster.peers.HttpPeerTransport;
import io.tributary.cluster.peers.Participations;
import io.tributary.cluster.peers.PeerAddress;
import io.tributary.cluster.peers.PeerSync;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.peers.PeersStore;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import io.tributary.server.http.Router;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster side of one node, assembled from its configuration: the store, membership, the stream
 * directory, application settings, cluster tokens, the notifier and the internal routes. A single node
 * on the embedded store runs the same pieces (a cluster of one); in peers mode (no store) the peer sync
 * keeps the node's own copy in step with the others, and everything else runs on top unchanged.
 */
public final class ClusterServices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterServices.class);
    /** How long a leaving node waits for its last notifications to be answered. */
    private static final Duration NOTIFY_FLUSH = Duration.ofSeconds(3);
    /** How far back the dashboard's load charts reach. */
    private static final Duration LOAD_HISTORY = Duration.ofMinutes(15);

    private final NodeConfig config;
    private final ClusterStore store;
    private final StreamRegistry registry;
    private final Membership membership;
    private final StreamDirectory directory;
    private final AppSettingsCache settings;
    private final ClusterTokens tokens;
    private final ClusterTls tls;
    private final ClusterNotifier notifier;
    private final ClusterAuth auth;
    private final AllocationManager allocation;
    private final RelayAuthorizer relayAuth;
    private final RelayManager relays;
    private final PeerClient peers;
    private final LoadHistory loadHistory;
    private final BooleanSupplier draining;
    private final Participations participations = new Participations();
    /** Null unless the node runs in peers mode. */
    private final PeerSync peerSync;
    private final ExecutorService storeExecutor;
    private final ScheduledExecutorService timers;
    private AutoCloseable subscription;

    /**
     * Builds everything (nothing runs yet). Ports are read when the node registers, after its listeners
     * are bound.
     */
    public ClusterServices(NodeConfig config, NodeIdentity identity, ClusterStore store, StreamRegistry registry,
                           ScheduledExecutorService timers, ExecutorService storeExecutor, IntSupplier rtmpPort,
                           IntSupplier httpPort, String version, BooleanSupplier draining, RtmpClient relayClient) {
        this.config = config;
        this.store = store;
        this.registry = registry;
        this.timers = timers;
        this.storeExecutor = storeExecutor;
        this.draining = draining;
        ClusterConfig cc = ClusterConfig.of(config);
        this.tls = cc.tls();
        HttpClient http = ClusterHttp.newClient(tls, config.get(ConfigKeys.CLUSTER_NOTIFY_TIMEOUT));
        String scheme = ClusterHttp.scheme(tls);
        String secret = config.get(ConfigKeys.CLUSTER_SECRET);
        this.tokens = secret == null ? null : new ClusterTokens(identity.nodeId(),
                ClusterSecrets.of(secret, orEmpty(config.get(ConfigKeys.CLUSTER_PREVIOUS_SECRETS))),
                config.get(ConfigKeys.CLUSTER_TOKEN_TTL), config.get(ConfigKeys.CLUSTER_CLOCK_SKEW), Clock.systemUTC());
        MembershipSettings ms = new MembershipSettings(config.get(ConfigKeys.CLUSTER_HEARTBEAT_PERIOD),
                config.get(ConfigKeys.CLUSTER_SUSPECT_AFTER), config.get(ConfigKeys.CLUSTER_DEAD_AFTER));
        this.membership = new Membership(store, identity, () -> new NodeRecord(identity.nodeId(), identity.instance(),
                cc.advertise(), cc.internal(), rtmpPort.getAsInt(), httpPort.getAsInt(),
                config.get(ConfigKeys.ROLES), version, 0, -1, null, 0, 0),
                new NodeLoadSampler(registry, System::nanoTime, draining), ms, timers, System::nanoTime,
                System::currentTimeMillis);
        this.settings = new AppSettingsCache(store, storeExecutor);
        this.directory = new StreamDirectory(store, membership, new HttpOriginProbe(http, scheme),
                config.get(ConfigKeys.CLUSTER_ORIGIN_CHECK_TIMEOUT), this::acceptUndefined, cc.originAddress(),
                storeExecutor, System::currentTimeMillis);
        this.peers = new PeerClient(tokens, http, scheme, config.get(ConfigKeys.CLUSTER_NOTIFY_TIMEOUT));
        this.loadHistory = new LoadHistory(LOAD_HISTORY, ms.heartbeatPeriod(), System::currentTimeMillis);
        this.notifier = tokens == null ? null : new ClusterNotifier(membership, tokens, http, scheme,
                new ClusterNotifier.Settings(config.get(ConfigKeys.CLUSTER_NOTIFY_TIMEOUT),
                        config.get(ConfigKeys.CLUSTER_NOTIFY_RETRIES), Duration.ofMillis(200)), timers);
        if (notifier != null && !(store instanceof PeersStore)) {
            // In peers mode the store's own sync tells the other nodes (sessions/sync), and a notification
            // could carry a claim that lost a merge the receiver has not seen yet.
            directory.setAnnouncer(notifier);
        }
        membership.addListener(directory);
        membership.addListener(participations);
        this.auth = new ClusterAuth(tokens, config.get(ConfigKeys.CLUSTER_API_KEY), membership);
        this.allocation = new AllocationManager(membership::nodes, draining, new AllocationSettings(
                new RoutingThresholds(config.get(ConfigKeys.CLUSTER_ROUTING_CPU_THRESHOLD),
                        config.get(ConfigKeys.CLUSTER_ROUTING_BANDWIDTH_THRESHOLD),
                        config.get(ConfigKeys.CLUSTER_ROUTING_SUBSCRIBER_THRESHOLD)),
                config.get(ConfigKeys.CLUSTER_ALLOCATION_CANDIDATE_LIMIT),
                config.get(ConfigKeys.CLUSTER_ALLOCATION_TICKET_TTL)), System::currentTimeMillis);
        this.relayAuth = new RelayAuthorizer(tokens, membership);
        RelaySettings rs = new RelaySettings(config.get(ConfigKeys.CLUSTER_RELAY_RELEASE_DELAY),
                config.get(ConfigKeys.CLUSTER_RELAY_MAX_RETRY_ATTEMPTS), config.get(ConfigKeys.CLUSTER_RELAY_RETRY_DELAY),
                config.get(ConfigKeys.CLUSTER_RELAY_ESTABLISH_TIMEOUT),
                config.get(ConfigKeys.CLUSTER_RELAY_HEALTH_CHECK_INTERVAL),
                config.get(ConfigKeys.CLUSTER_RELAY_FAILOVER_GRACE));
        this.relays = new RelayManager(registry, directory, membership, (origin, path) -> tokens == null ? null
                : tokens.issue(origin, java.util.Map.of("scope", RelayTokens.scope(path))), relayClient, rs, timers,
                orEmpty(config.get(ConfigKeys.CLUSTER_ORIGIN_NODES)));
        membership.addListener(relays);
        directory.addListener(new ClaimGuard(registry, directory, identity.nodeId(), storeExecutor));
        this.peerSync = store instanceof PeersStore peers ? new PeerSync(peers, membership,
                new HttpPeerTransport(http, scheme, tokens, config.get(ConfigKeys.CLUSTER_HEARTBEAT_TTL)),
                participations, new PeerSync.Settings(seeds(config), ms.heartbeatPeriod(),
                config.get(ConfigKeys.CLUSTER_SYNC_PERIOD)), timers, () -> watched(registry)) : null;
    }

    private static List<PeerAddress> seeds(NodeConfig config) {
        return orEmpty(config.get(ConfigKeys.CLUSTER_SEEDS)).stream().map(PeerAddress::parse).toList();
    }

    /** The stream paths with viewers on this node now (a relay pull is not a viewer). */
    private static Set<String> watched(StreamRegistry registry) {
        Set<String> paths = new HashSet<>();
        for (LiveStream s : registry.streams()) {
            if (s.totalViewers() > 0) {
                paths.add(s.path().toString());
            }
        }
        return paths;
    }

    /**
     * Checks the cluster settings (secret, addresses, TLS files) and says what is wrong, before the node
     * opens its store or binds anything.
     */
    public static void validate(NodeConfig config) {
        ClusterConfig.of(config);
    }

    /** Registers the internal and cluster routes. */
    public void registerRoutes(Router router, Predicate<String> apps, ClusterCommunicationRoutes.RoomDelivery rooms) {
        new ClusterCommunicationRoutes(auth, directory, store, storeExecutor, apps, rooms).register(router);
        new ClusterApiRoutes(auth, membership, directory, relays, store.engine(), participations, peerSync)
                .register(router);
        new PeerRoutes(auth, peerSync, store.engine()).register(router);
        new ParticipationRoute(auth, participations, directory, relays, membership.selfId()).register(router);
        new RelayPullRoute(auth, registry, directory, membership, tokens).register(router);
        new ClusterRestRoutes(membership, store, storeExecutor, System::currentTimeMillis, draining, loadHistory)
                .register(router);
        new ClusterRelaysRoute(membership, relays, peers).register(router);
        new AllocationRoutes(auth, allocation).register(router);
        new AppSettingsRoutes(settings, apps, nodeAppDefaults(), storeExecutor, System::currentTimeMillis)
                .register(router);
    }

    /**
     * Joins the cluster: registers (refusing an id a live node holds), reads the directory and starts the
     * periodic resync. Runs after the listeners are bound, so the registered ports are the real ones.
     */
    public void start() throws Exception {
        subscription = store.subscribe(e -> {
            directory.onStoreEvent(e);
            settings.onStoreEvent(e);
        });
        membership.start();
        if (peerSync != null) {
            peerSync.start();
        }
        storeExecutor.submit(directory::resync).get();
        // Read every application's settings now, so that the first publish or play finds them in the cache.
        storeExecutor.execute(() -> config.apps().forEach(settings::get));
        long sync = config.get(ConfigKeys.CLUSTER_SYNC_PERIOD).toMillis();
        timers.scheduleWithFixedDelay(() -> storeExecutor.execute(this::resync), sync, sync, TimeUnit.MILLISECONDS);
        long sample = loadHistory.period().toMillis();
        timers.scheduleWithFixedDelay(() -> loadHistory.record(membership.nodes()), 0, sample, TimeUnit.MILLISECONDS);
        log.info("node {} joined the cluster ({} store, {} node(s) known{})", membership.selfId(), store.engine(),
                membership.nodes().size(), tls != null ? ", TLS between nodes" : "");
    }

    private void resync() {
        try {
            directory.resync();
            settings.reloadAll();
        } catch (RuntimeException e) {
            log.debug("periodic resync failed: {}", e.getMessage());
        }
    }

    /** What an application gets where it has stored nothing: this node's configuration. */
    private AppSettings nodeAppDefaults() {
        return new AppSettings(config.get(ConfigKeys.STREAM_ACCEPT_UNDEFINED), config.get(ConfigKeys.HLS_MODE),
                config.get(ConfigKeys.HLS_ALWAYS_ON), 0, 0);
    }

    /**
     * The settings that apply to {@code app}: stored values where set, this node's configuration elsewhere.
     * May read the store the first time (call it on the store executor).
     */
    public AppSettings appSettings(String app) {
        AppSettings s = settings.get(app);
        AppSettings d = nodeAppDefaults();
        return new AppSettings(s.acceptUndefinedStreams() != null ? s.acceptUndefinedStreams()
                : d.acceptUndefinedStreams(), s.hlsMode() != null ? s.hlsMode() : d.hlsMode(),
                s.hlsAlwaysOn() != null ? s.hlsAlwaysOn() : d.hlsAlwaysOn(), s.version(), s.updateTime());
    }

    /**
     * An application's access settings: from this node's cache at once, else read on the store executor. Fails
     * (never answers "nothing set") when they are not cached and the store cannot be read.
     */
    public CompletableFuture<StreamAccessSettings> accessSettings(String app) {
        Optional<AppSettings> cached = settings.cached(app);
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(cached.get().accessOrNone());
        }
        return CompletableFuture.supplyAsync(() -> settings.require(app).accessOrNone(), storeExecutor);
    }

    /**
     * Keys derived from the cluster secret (the current one first, then the previous ones) for what nodes
     * sign for each other besides cluster tokens; empty on a node without a cluster secret.
     */
    public List<byte[]> derivedKeys() {
        String secret = config.get(ConfigKeys.CLUSTER_SECRET);
        if (secret == null) {
            return List.of();
        }
        List<byte[]> keys = new java.util.ArrayList<>();
        keys.add(ClusterTokens.deriveKey(secret));
        orEmpty(config.get(ConfigKeys.CLUSTER_PREVIOUS_SECRETS)).forEach(p -> keys.add(ClusterTokens.deriveKey(p)));
        return keys;
    }

    /** Whether a stream nobody created may be published in {@code app}: the stored setting, else the node's. */
    public boolean acceptUndefined(String app) {
        AppSettings s = settings.get(app);
        return s.acceptUndefinedStreams() != null ? s.acceptUndefinedStreams()
                : config.get(ConfigKeys.STREAM_ACCEPT_UNDEFINED);
    }

    public ClusterStore store() {
        return store;
    }

    public Membership membership() {
        return membership;
    }

    public StreamDirectory directory() {
        return directory;
    }

    /** Viewers other live nodes reported for a stream in their latest heartbeats. */
    public int remoteViewers(String path, String protocol) {
        int n = 0;
        for (io.tributary.cluster.membership.NodeView v : membership.nodes()) {
            if (!v.self() && v.state() != io.tributary.cluster.node.NodeState.DEAD) {
                n += v.record().load().viewersOf(path).of(protocol);
            }
        }
        return n;
    }

    public RelayManager relays() {
        return relays;
    }

    /** Calls other nodes with a cluster token, for cluster-wide views and actions. */
    public PeerClient peers() {
        return peers;
    }

    /** The node that issued a bearer token, when it is a valid cluster token for this node (REST access). */
    public Optional<String> nodeTokenIssuer(String token) {
        return auth.issuer(token);
    }

    public RelayAuthorizer relayAuthorizer() {
        return relayAuth;
    }

    public AllocationManager allocation() {
        return allocation;
    }

    /**
     * Where an HTTP player of a stream should go instead of this node: the chosen node's
     * {@code http://advertise:port}, or empty to play here (always, unless {@code cluster.routing.redirect}).
     */
    public Function<StreamPath, Optional<String>> playRedirect() {
        if (!config.get(ConfigKeys.CLUSTER_ROUTING_REDIRECT)) {
            return path -> Optional.empty();
        }
        return path -> {
            RedirectDecision d = allocation.decide(path, "flv");
            if (!d.redirects()) {
                return Optional.empty();
            }
            log.info("redirecting a player of {} to {}: {}", path, d.serverId(), d.reason());
            return Optional.of(NodeUrls.httpBase(d.target()));
        };
    }

    /** Null on a node without a cluster secret (a single node). */
    public ClusterNotifier notifier() {
        return notifier;
    }

    /** Null when nodes talk plain HTTP. */
    public ClusterTls tls() {
        return tls;
    }

    /**
     * Leaves the cluster: relays stop, the notifications already sent settle (peers check their tokens
     * against the nodes they know, so they must arrive while this node's record is still there), then
     * heartbeats stop and the node's record is removed.
     */
    @Override
    public void close() {
        relays.close();
        if (peerSync != null) {
            peerSync.close(); // goodbyes first: the peers forget this node at once instead of judging it dead
        }
        if (notifier != null) {
            try {
                if (!notifier.flush(NOTIFY_FLUSH)) {
                    log.warn("leaving the cluster with notifications to peers still unanswered after {} ms",
                            NOTIFY_FLUSH.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        membership.close();
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.debug("closing the store subscription failed", e);
            }
        }
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }
}
