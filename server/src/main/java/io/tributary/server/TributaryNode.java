package io.tributary.server;

import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.tributary.cluster.node.NodeIdentity;
import io.tributary.cluster.membership.MembershipListener;
import io.tributary.cluster.store.ClusterStore;
import io.tributary.cluster.store.ClusterStores;
import io.tributary.cluster.store.peers.PeersStore;
import io.tributary.hls.HlsMode;
import io.tributary.hls.HlsSettings;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.StreamSettings;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.server.RtmpServer;
import io.tributary.rtmp.server.RtmpServerSettings;
import io.tributary.server.access.MediaSessions;
import io.tributary.server.access.StreamAccess;
import io.tributary.server.access.TokenRoutes;
import io.tributary.server.auth.RestAuth;
import io.tributary.server.broadcast.ApplicationsRoute;
import io.tributary.server.broadcast.BroadcastRoutes;
import io.tributary.server.broadcast.BroadcastService;
import io.tributary.server.cluster.ClusterServices;
import io.tributary.server.cluster.RemoteDrainRoutes;
import io.tributary.server.conference.ConferenceRooms;
import io.tributary.server.conference.ConferenceService;
import io.tributary.server.config.ConfigKeys;
import io.tributary.server.config.NodeConfig;
import io.tributary.server.dashboard.DashboardFiles;
import io.tributary.server.dashboard.DashboardRoutes;
import io.tributary.server.hls.HlsDiskWriter;
import io.tributary.server.hls.HlsService;
import io.tributary.server.http.HealthRoute;
import io.tributary.server.http.HttpFlvService;
import io.tributary.server.http.HttpServer;
import io.tributary.server.http.HttpSettings;
import io.tributary.server.http.Router;
import io.tributary.server.lb.DrainRoutes;
import io.tributary.server.lb.LoadBalancerSupport;
import io.tributary.server.metrics.MetricsRoute;
import io.tributary.server.metrics.NodeMetrics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One Tributary node: listeners, streams, store and services, started and stopped as a unit. */
public final class TributaryNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TributaryNode.class);
    private static final String SHUTDOWN_REASON = "The server is shutting down.";
    /** How often live broadcast records are refreshed in the store. */
    private static final Duration LIVE_FIGURES_PERIOD = Duration.ofSeconds(10);

    private final NodeConfig config;
    private final long startedAt = System.currentTimeMillis();
    private Transport transport;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private ScheduledExecutorService timers;
    private ExecutorService storeExecutor;
    private ExecutorService apiExecutor;
    private ClusterStore store;
    private ClusterServices cluster;
    private StreamRegistry registry;
    private NodeStreams streams;
    private RtmpServer rtmp;
    private HttpServer http;
    private HlsService hls;
    private NodeMetrics metrics;
    private final ConferenceRooms conferences = new ConferenceRooms();
    private final NodeDrain drain = new NodeDrain();
    private String nodeId;
    private volatile boolean serving;
    private boolean stopped;

    public TributaryNode(NodeConfig config) {
        this.config = config;
    }

    /** Binds the listeners and opens the store; returns once the node serves. */
    public synchronized void start() throws Exception {
        try {
            startServices();
        } catch (Exception | Error e) {
            stop();
            throw e;
        }
    }

    private void startServices() throws Exception {
        ClusterServices.validate(config);
        RestAuth.validate(config);
        LoadBalancerSupport lb = LoadBalancerSupport.from(config);
        NodeIdentity identity = NodeIdentity.loadOrCreate(config.dataDir(), config.nodeId().orElse(null));
        nodeId = identity.nodeId();
        if (config.get(ConfigKeys.METRICS_ENABLED)) {
            metrics = new NodeMetrics(nodeId);
        }
        ClusterStore opened = ClusterStores.open(config.get(ConfigKeys.CLUSTER_STORE),
                config.get(ConfigKeys.CLUSTER_STORE_TIMEOUT), config.dataDir());
        // Peers mode's store is this node's own copy in memory (what takes time there is the peers' HTTP), and
        // the cluster wiring needs the engine itself: only a store behind a network is timed.
        store = metrics != null && !(opened instanceof PeersStore) ? metrics.timed(opened) : opened;
        transport = Transport.best();
        int ioThreads = config.get(ConfigKeys.SERVER_IO_THREADS);
        boss = transport.newGroup(1, "tributary-accept");
        workers = transport.newGroup(ioThreads == 0 ? Runtime.getRuntime().availableProcessors() : ioThreads,
                "tributary-io");
        timers = Executors.newScheduledThreadPool(2, new DefaultThreadFactory("tributary-timer", true));
        storeExecutor = Executors.newSingleThreadExecutor(new DefaultThreadFactory("tributary-store", true));
        apiExecutor = Executors.newFixedThreadPool(2, new DefaultThreadFactory("tributary-api", true));

        StreamSettings streamSettings = new StreamSettings(config.get(ConfigKeys.STREAM_REPUBLISH_GRACE),
                config.get(ConfigKeys.STREAM_GOP_CACHE_MAX_BYTES), config.get(ConfigKeys.PLAYER_MAX_LAG),
                config.get(ConfigKeys.PLAYER_MAX_DROPS));
        registry = new StreamRegistry(streamSettings, timers);
        cluster = new ClusterServices(config, identity, store, registry, timers, storeExecutor, () -> rtmp.port(),
                () -> http.port(), version(), drain::isDraining,
                new RtmpClient(workers, transport.clientChannel()));
        BroadcastService broadcasts = new BroadcastService(cluster.directory(), store, nodeId, storeExecutor,
                System::currentTimeMillis);
        registry.addListener(broadcasts);
        cluster.membership().addListener(new MembershipListener() {
            @Override
            public void storeReconnected() {
                broadcasts.reconcile(registry);
            }
        });
        StreamAccess access = new StreamAccess(cluster::accessSettings, store, storeExecutor,
                config.get(ConfigKeys.STREAM_ACCESS_WEBHOOK_TIMEOUT), nodeId, MediaSessions.of(cluster.derivedKeys(),
                        config.get(ConfigKeys.STREAM_ACCESS_HLS_SESSION_LIFETIME), System::currentTimeMillis),
                this::appUrl, System::currentTimeMillis);
        streams = new NodeStreams(config.apps(), config.get(ConfigKeys.ROLES), registry, cluster.directory(),
                storeExecutor, cluster.relays(), cluster.relayAuthorizer(), access);
        streams.drainWith(drain::isDraining);
        if (cluster.notifier() != null) {
            conferences.forwardWith(cluster.notifier()::virtualStreamData);
        }

        HttpSettings httpSettings = new HttpSettings(
                (int) Math.min(Integer.MAX_VALUE, config.get(ConfigKeys.HTTP_MAX_REQUEST_SIZE)),
                config.get(ConfigKeys.HTTP_CORS_ALLOW_ORIGIN), config.get(ConfigKeys.HTTP_IDLE_TIMEOUT));
        Router router = new Router();
        new HealthRoute(this::health).register(router);
        if (metrics != null) {
            new MetricsRoute(metrics).register(router);
        }
        DrainRoutes drainRoutes = new DrainRoutes(drain, () -> nodeId);
        drainRoutes.register(router);
        new RemoteDrainRoutes(cluster.membership(), cluster.peers(), drainRoutes::set).register(router);
        new ApplicationsRoute(config.apps()).register(router);
        new DashboardRoutes(new DashboardFiles(TributaryNode.class.getClassLoader())).register(router);
        new BroadcastRoutes(store, registry, streams::hasApp, storeExecutor, System::currentTimeMillis,
                cluster::remoteViewers).register(router);
        cluster.registerRoutes(router, streams::hasApp, conferences::deliverFromCluster);
        new TokenRoutes(access, streams::hasApp, storeExecutor, System::currentTimeMillis).register(router);
        RestAuth restAuth = RestAuth.install(config, store, router, cluster::nodeTokenIssuer);

        rtmp = new RtmpServer(new RtmpServerSettings(config.get(ConfigKeys.RTMP_CHUNK_SIZE),
                (int) Math.min(Integer.MAX_VALUE, config.get(ConfigKeys.RTMP_MAX_MESSAGE_SIZE)),
                config.get(ConfigKeys.RTMP_IDLE_TIMEOUT), config.get(ConfigKeys.RTMP_WINDOW_ACK_SIZE)),
                streamSettings, streams);
        rtmp.acceptProxyProtocol(lb::rtmpDetector);
        bind("RTMP", config.rtmpPort(), () -> rtmp.bind(boss, workers, transport.serverChannel(), config.host(),
                config.rtmpPort()));
        http = new HttpServer(httpSettings, router,
                new HttpFlvService(streams, streamSettings, httpSettings, cluster.playRedirect()),
                new ConferenceService(streams::hasApp, conferences), apiExecutor);
        if (cluster.tls() != null) {
            http.acceptTls(cluster.tls()::optionalTlsHandler);
        }
        http.trustProxies(lb.proxies(), lb::httpDetector);
        http.guard(restAuth.gate());
        hls = new HlsService(streams.forMuxers(), access, registry, this::appHls, hlsSettings(), workers, timers,
                httpSettings.corsAllowOrigin(), cluster.playRedirect(), config.get(ConfigKeys.HLS_WRITE_TO_DISK)
                        ? new HlsDiskWriter(config.dataDir().resolve("hls"), Executors.newSingleThreadExecutor(
                                new DefaultThreadFactory("tributary-hls-disk", true))) : null,
                System::currentTimeMillis);
        registry.addListener(hls);
        http.addRoute(hls);
        if (metrics != null) {
            metrics.watch(registry, cluster, rtmp::connectionCount, http::connectionsByUse, hls::sentBytes);
        }
        bind("HTTP", config.httpPort(), () -> http.bind(boss, workers, transport.serverChannel(), config.host(),
                config.httpPort()));

        cluster.start();
        storeExecutor.submit(broadcasts::recover).get();
        timers.scheduleWithFixedDelay(() -> broadcasts.persistLiveFigures(registry.streams()),
                LIVE_FIGURES_PERIOD.toMillis(), LIVE_FIGURES_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
        serving = true;
        log.info("node {} serving: rtmp://{}:{} http://{}:{} ({} transport, {} store)", nodeId, config.host(),
                rtmp.port(), config.host(), http.port(), transport.name(), store.engine());
    }

    private static String version() {
        String v = TributaryNode.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /**
     * Stops the node cleanly: listeners first, then publishers and players (told why), then pending
     * broadcast updates and the store. Idempotent.
     */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        serving = false;
        Duration timeout = config.get(ConfigKeys.SERVER_SHUTDOWN_TIMEOUT);
        if (streams != null) {
            streams.stopTakingClients();
        }
        if (rtmp != null) {
            rtmp.closeListener();
        }
        if (http != null) {
            http.closeListener();
        }
        if (registry != null) {
            registry.endAll(SHUTDOWN_REASON);
        }
        if (rtmp != null) {
            rtmp.closeConnections(SHUTDOWN_REASON, timeout);
        }
        if (hls != null) {
            hls.close();
        }
        if (http != null) {
            http.closeConnections(timeout);
        }
        // The releases of the streams just ended are queued on the store executor: let them land, then
        // leave the cluster (the node's record goes), then stop the executors.
        awaitQueued(storeExecutor, timeout);
        if (cluster != null) {
            cluster.close();
        }
        shutdown(apiExecutor, timeout);
        shutdown(timers, Duration.ZERO);
        shutdown(storeExecutor, timeout);
        if (store != null) {
            store.flush();
            store.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, timeout.toMillis(), TimeUnit.MILLISECONDS).syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public NodeConfig config() {
        return config;
    }

    public String nodeId() {
        return nodeId;
    }

    public int rtmpPort() {
        return rtmp.port();
    }

    public int httpPort() {
        return http.port();
    }

    public StreamRegistry streams() {
        return registry;
    }

    /** Whether this node drains (takes no new clients). */
    public NodeDrain drain() {
        return drain;
    }

    /** The cluster side of this node (a cluster of one on the embedded store). */
    public ClusterServices cluster() {
        return cluster;
    }

    /** The conference rooms of this node: the cluster forwards and delivers room messages through it. */
    public ConferenceRooms conferences() {
        return conferences;
    }

    private HlsSettings hlsSettings() {
        return new HlsSettings(HlsMode.parse(config.get(ConfigKeys.HLS_MODE)), config.get(ConfigKeys.HLS_SEGMENT_DURATION),
                config.get(ConfigKeys.HLS_MAX_SEGMENT_DURATION), config.get(ConfigKeys.HLS_PART_DURATION),
                config.get(ConfigKeys.HLS_LIST_SIZE), config.get(ConfigKeys.HLS_IDLE_TIMEOUT));
    }

    /** An application's HLS settings: stored ones where set, this node's configuration elsewhere. */
    private CompletableFuture<HlsService.AppHls> appHls(String app) {
        return CompletableFuture.supplyAsync(() -> cluster.appSettings(app), storeExecutor)
                .thenApply(s -> new HlsService.AppHls(HlsMode.parse(s.hlsMode()), Boolean.TRUE.equals(s.hlsAlwaysOn())));
    }

    /** An application's URL on this node for a protocol ({@code rtmp://...} or {@code http://...}). */
    private String appUrl(String protocol, String app) {
        String host = config.get(ConfigKeys.ADVERTISE) != null ? config.get(ConfigKeys.ADVERTISE) : config.host();
        return "rtmp".equals(protocol) ? "rtmp://" + host + ":" + rtmp.port() + "/" + app
                : "http://" + host + ":" + http.port() + "/" + app;
    }

    private HealthRoute.Health health() {
        int publishers = 0;
        int players = 0;
        for (LiveStream s : registry.streams()) {
            if (s.publisher() != null) {
                publishers++;
            }
            players += s.totalViewers();
        }
        String status = !serving ? "stopping" : drain.isDraining() ? "draining" : "serving";
        return new HealthRoute.Health(status, nodeId,
                (System.currentTimeMillis() - startedAt) / 1000, publishers, players);
    }

    private interface Binding {
        void bind() throws Exception;
    }

    /** Bind failures name the listener and address, which Netty's own message does not. */
    private void bind(String what, int port, Binding binding) throws Exception {
        try {
            binding.bind();
        } catch (Exception e) {
            throw new IllegalStateException("cannot listen for " + what + " on " + config.host() + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    private static void awaitQueued(ExecutorService executor, Duration timeout) {
        if (executor == null) {
            return;
        }
        try {
            executor.submit(() -> { }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("store work did not finish within {} ms: {}", timeout.toMillis(), e.toString());
        }
    }

    private static void shutdown(ExecutorService executor, Duration timeout) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
