package io.tributary.server.hls;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tributary.hls.HlsMode;
import io.tributary.hls.HlsSettings;
import io.tributary.hls.HlsStream;
import io.tributary.hls.PlaylistView;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamListener;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.StreamRequest;
import io.tributary.server.http.ChannelRoute;
import io.tributary.server.http.HttpServer;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HLS (TS, fMP4, LL-HLS) and DASH for every stream this node has, published here or pulled by a relay.
 * A stream's muxer starts on the first playlist or manifest request (or at publish when the application
 * keeps HLS always on) and stops when nobody has asked for {@code hls.idleTimeout}. Playlist requests wait
 * for the first segment, LL-HLS blocking reloads ({@code _HLS_msn}, {@code _HLS_part}) and preload-hinted
 * parts wait for their media, all without holding a thread (the answers themselves: {@link HlsAnswers}). HLS
 * viewers are counted per client.
 */
public final class HlsService implements ChannelRoute, StreamListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsService.class);
    private static final Duration SWEEP = Duration.ofSeconds(1);
    /** An ended stream's playlist (with ENDLIST) stays this long for players to see the end. */
    private static final Duration ENDED_LINGER = Duration.ofSeconds(30);

    /** What an application's stored settings say about HLS. */
    public record AppHls(HlsMode mode, boolean alwaysOn) {
    }

    private final StreamGateway gateway;
    private final HlsAccess access;
    private final StreamRegistry registry;
    private final Function<String, CompletableFuture<AppHls>> appSettings;
    private final HlsSettings settings;
    private final EventLoopGroup workers;
    private final String corsOrigin;
    private final Function<StreamPath, Optional<String>> redirect;
    private final HlsDiskWriter disk;
    private final LongSupplier wallClock;
    private final Map<StreamPath, Entry> entries = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> sweeper;
    private final LongAdder sentBytes = new LongAdder();
    private final HlsAnswers answers;

    /** One stream's muxer, from its start to its removal. */
    private static final class Entry {
        final StreamPath path;
        final CompletableFuture<HlsStream> ready = new CompletableFuture<>();
        final AtomicBoolean starting = new AtomicBoolean();
        final HlsSessions sessions = new HlsSessions();
        volatile HlsStream muxer;
        volatile LiveStream live;
        volatile boolean alwaysOn;
        volatile long endedAtNanos;

        Entry(StreamPath path) {
            this.path = path;
        }
    }

    /**
     * @param gateway where muxers get their streams: it checks no viewer's access, which {@code access} does
     *     for every request
     * @param redirect for a stream, the base URL of the node a new player should use instead of this one
     * @param disk writes playlists and segments under the data directory, or null
     */
    public HlsService(StreamGateway gateway, HlsAccess access, StreamRegistry registry,
                      Function<String, CompletableFuture<AppHls>> appSettings, HlsSettings settings,
                      EventLoopGroup workers, ScheduledExecutorService timers, String corsOrigin,
                      Function<StreamPath, Optional<String>> redirect, HlsDiskWriter disk, LongSupplier wallClock) {
        this.gateway = gateway;
        this.access = access;
        this.registry = registry;
        this.appSettings = appSettings;
        this.settings = settings;
        this.workers = workers;
        this.corsOrigin = corsOrigin;
        this.redirect = redirect;
        this.disk = disk;
        this.wallClock = wallClock;
        this.answers = new HlsAnswers(settings.segmentDuration(), wallClock);
        this.sweeper = timers.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    // --- always on ------------------------------------------------------------------------------------

    /** A publish here starts the stream's muxer at once when its application keeps HLS always on. */
    @Override
    public void publishStarted(LiveStream stream, Publisher publisher) {
        if ("relay".equals(publisher.protocol())) {
            return;
        }
        StreamPath path = stream.path();
        appSettings.apply(path.app()).thenAccept(app -> {
            if (app.alwaysOn()) {
                Entry e = acquire(path, new StreamRequest(path, Map.of(), publisher.remote(), "hls"), true);
                e.ready.whenComplete((m, error) -> {
                    if (error == null) {
                        log.info("hls {}: muxing from the start ({}, always on)", path, app.mode().configName());
                    }
                });
            }
        });
    }

    // --- requests -------------------------------------------------------------------------------------

    @Override
    public boolean handles(HttpMethod method, String rawPath) {
        return (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) && HlsPaths.matches(rawPath);
    }

    /** Body bytes of every HLS, LL-HLS and DASH answer this node has sent (playlists, manifests, media). */
    public long sentBytes() {
        return sentBytes.sum();
    }

    /** HLS, LL-HLS and DASH requests alike. */
    @Override
    public String use() {
        return "hls";
    }

    @Override
    public void serve(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        HlsReply reply = new HlsReply(ctx, req.method().equals(HttpMethod.HEAD), HttpUtil.isKeepAlive(req),
                corsOrigin, sentBytes);
        HlsPaths target = HlsPaths.parse(uri.rawPath());
        if (target == null) {
            reply.text(HttpResponseStatus.NOT_FOUND, "No such HLS or DASH resource: " + uri.path());
            return;
        }
        StreamPath path = target.stream();
        if (!gateway.hasApp(path.app())) {
            reply.text(HttpResponseStatus.NOT_FOUND, "No application " + path.app() + ".");
            return;
        }
        SocketAddress client = HttpServer.clientAddress(ctx.channel());
        String who = Addresses.host(client) + "|" + req.headers().get(HttpHeaderNames.USER_AGENT, "");
        Map<String, String> params = new HashMap<>();
        uri.parameters().forEach((k, v) -> params.put(k, v.get(0)));
        StreamRequest request = new StreamRequest(path, params, client, "hls");
        switch (target.kind()) {
            case PLAYLIST, MANIFEST -> {
                Optional<String> elsewhere = redirect.apply(path);
                if (elsewhere.isPresent()) {
                    String query = uri.rawQuery();
                    reply.redirect(elsewhere.get() + uri.rawPath() + (query.isEmpty() ? "" : "?" + query));
                    return;
                }
                reply.whenAllowed(access.playlist(request), request, grant -> {
                    if (grant.fresh()) {
                        reply.redirect(HlsPaths.withSession(uri, grant.query()), "Play this stream at the URL that carries "
                                + "its session");
                        return;
                    }
                    Entry e = acquire(path, request, false);
                    e.sessions.asked(who, target.kind() == HlsPaths.Kind.MANIFEST, System.nanoTime());
                    e.ready.whenCompleteAsync((muxer, error) -> {
                        if (error != null) {
                            reply.refused(error);
                        } else if (target.kind() == HlsPaths.Kind.PLAYLIST) {
                            answers.playlist(reply, muxer, params, grant.query());
                        } else {
                            answers.manifest(reply, muxer, grant.query());
                        }
                    }, ctx.executor());
                });
            }
            default -> reply.whenAllowed(access.media(request), request, grant -> {
                Entry e = entries.get(path);
                HlsStream muxer = e == null ? null : e.muxer;
                if (muxer == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No HLS for " + path + ": ask for its playlist ("
                            + path.app() + "/streams/" + path.streamId() + ".m3u8) first.");
                    return;
                }
                e.sessions.fetched(who, System.nanoTime());
                muxer.touch();
                answers.media(reply, muxer, target);
            });
        }
    }

    // --- muxers ---------------------------------------------------------------------------------------

    /** The stream's muxer entry, started if it is not (or if its stream ended and a new one is live). */
    private Entry acquire(StreamPath path, StreamRequest request, boolean alwaysOn) {
        Entry e = entries.compute(path, (p, old) -> old == null || stale(old) ? new Entry(p) : old);
        if (alwaysOn) {
            e.alwaysOn = true;
        }
        if (e.starting.compareAndSet(false, true)) {
            start(e, request);
        }
        return e;
    }

    /** An entry whose start failed, or whose stream ended while another one is live now. */
    private boolean stale(Entry e) {
        if (e.ready.isCompletedExceptionally()) {
            return true;
        }
        LiveStream live = e.live;
        if (live == null || e.muxer == null || !live.isEnded()) {
            return false;
        }
        Optional<LiveStream> now = registry.find(e.path);
        return now.isPresent() && now.get() != live && !now.get().isEnded() || e.muxer.view().ended()
                && System.nanoTime() - e.endedAtNanos > ENDED_LINGER.toNanos();
    }

    private void start(Entry e, StreamRequest request) {
        StreamPath path = e.path;
        appSettings.apply(path.app())
                .thenCompose(app -> gateway.play(request).thenApply(grant -> {
                    HlsSettings s = settings.withMode(app.mode());
                    HlsStream muxer = new HlsStream(path, s, workers.next(), wallClock.getAsLong() / 1000,
                            wallClock);
                    if (disk != null) {
                        disk.follow(muxer);
                    }
                    muxer.bind(grant.stream().subscribe(muxer));
                    e.muxer = muxer;
                    e.live = grant.stream();
                    e.alwaysOn |= app.alwaysOn();
                    log.info("hls {}: muxer started ({}) for {}", path, app.mode().configName(),
                            Addresses.format(request.remote()));
                    return muxer;
                }))
                .whenComplete((muxer, error) -> {
                    if (error != null) {
                        e.ready.completeExceptionally(error);
                        entries.remove(path, e);
                    } else {
                        e.ready.complete(muxer);
                    }
                });
    }

    /** Counts HLS viewers, stops idle muxers, forgets ended ones. */
    private void sweep() {
        long now = System.nanoTime();
        for (Entry e : entries.values()) {
            HlsStream muxer = e.muxer;
            if (muxer == null) {
                continue;
            }
            PlaylistView v = muxer.view();
            long window = TimeUnit.SECONDS.toNanos(3L * Math.max(1, v.targetDuration() == 0 ? targetGuess()
                    : v.targetDuration()));
            HlsSessions.Counts viewers = e.sessions.count(now, window);
            LiveStream live = e.live;
            if (live != null && !live.isEnded()) {
                live.setViewers("hls", viewers.hls());
                live.setViewers("dash", viewers.dash());
            }
            if (v.ended()) {
                if (e.endedAtNanos == 0) {
                    e.endedAtNanos = now;
                } else if (now - e.endedAtNanos > ENDED_LINGER.toNanos()) {
                    entries.remove(e.path, e);
                }
            } else if (!e.alwaysOn && muxer.idleFor().compareTo(settings.idleTimeout()) > 0) {
                entries.remove(e.path, e);
                muxer.close();
                if (live != null) {
                    live.setViewers("hls", 0);
                    live.setViewers("dash", 0);
                }
                log.info("hls {}: muxer stopped, nobody asked for its HLS for {} s", e.path,
                        settings.idleTimeout().toSeconds());
            }
        }
    }

    private int targetGuess() {
        return (int) Math.ceil(settings.segmentDuration().toMillis() / 1000.0);
    }

    /** Muxers running now (for tests and metrics). */
    public int muxerCount() {
        return (int) entries.values().stream().filter(e -> e.muxer != null && !e.muxer.view().ended()).count();
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        for (Entry e : entries.values()) {
            if (e.muxer != null) {
                e.muxer.close();
            }
        }
        entries.clear();
    }
}
