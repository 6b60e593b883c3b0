package io.tributary.server.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import io.tributary.hls.InitSegments;
import io.tributary.hls.Part;
import io.tributary.hls.PlaylistView;
import io.tributary.hls.Segment;
import io.tributary.hls.playlist.DashManifest;
import io.tributary.hls.playlist.MediaPlaylist;
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
import java.nio.charset.StandardCharsets;
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
 * parts wait for their media, all without holding a thread. HLS viewers are counted per client.
 */
public final class HlsService implements ChannelRoute, StreamListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HlsService.class);
    private static final Duration SWEEP = Duration.ofSeconds(1);
    /** An ended stream's playlist (with ENDLIST) stays this long for players to see the end. */
    private static final Duration ENDED_LINGER = Duration.ofSeconds(30);
    private static final String M3U8 = "application/vnd.apple.mpegurl";

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
                            playlist(reply, muxer, params, grant.query());
                        } else {
                            manifest(reply, muxer, grant.query());
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
                media(reply, muxer, target);
            });
        }
    }

    private void playlist(HlsReply reply, HlsStream muxer, Map<String, String> params, String uriQuery) {
        muxer.touch();
        Duration wait;
        java.util.function.Predicate<PlaylistView> ready;
        PlaylistView now = muxer.view();
        if (muxer.settings().mode() == HlsMode.LLHLS && params.containsKey("_HLS_msn")) {
            long msn;
            int part;
            try {
                msn = nonNegative(params.get("_HLS_msn"), "_HLS_msn");
                part = params.containsKey("_HLS_part") ? (int) nonNegative(params.get("_HLS_part"), "_HLS_part") : -1;
            } catch (IllegalArgumentException bad) {
                reply.text(HttpResponseStatus.BAD_REQUEST, bad.getMessage());
                return;
            }
            if (msn > now.nextSequence() + 2) {
                reply.text(HttpResponseStatus.BAD_REQUEST, "_HLS_msn=" + msn + " is more than two segments past "
                        + "the live edge (the segment being made is " + now.nextSequence() + ").");
                return;
            }
            ready = v -> v.ready() && v.has(msn, part);
            wait = Duration.ofSeconds(3L * Math.max(1, now.targetDuration() == 0 ? targetGuess() : now.targetDuration()));
        } else if (params.containsKey("_HLS_part")) {
            reply.text(HttpResponseStatus.BAD_REQUEST, "_HLS_part needs _HLS_msn.");
            return;
        } else {
            ready = PlaylistView::ready;
            wait = muxer.settings().maxSegmentDuration().plusSeconds(5);
        }
        muxer.await(ready, wait).whenCompleteAsync((v, error) -> {
            if (error != null) {
                reply.timedOut(error, "the asked media");
            } else {
                reply.bytes(HttpResponseStatus.OK, M3U8, "no-cache",
                        Unpooled.wrappedBuffer(MediaPlaylist.render(v, muxer.path().streamId(), uriQuery)
                                .getBytes(StandardCharsets.UTF_8)));
            }
        }, reply.executor());
    }

    private void manifest(HlsReply reply, HlsStream muxer, String uriQuery) {
        muxer.touch();
        if (!muxer.settings().mode().fragmentedMp4()) {
            reply.text(HttpResponseStatus.NOT_FOUND, "DASH is served from fMP4 segments: this application's "
                    + "hls.mode is ts; set it to fmp4 or llhls.");
            return;
        }
        muxer.wantDash();
        // DASH starts with the first segment written track by track: up to two segments from now.
        muxer.await(PlaylistView::dashReady, muxer.settings().maxSegmentDuration().multipliedBy(2).plusSeconds(5))
                .whenCompleteAsync((v, error) -> {
                    if (error != null) {
                        reply.timedOut(error, "the first DASH segment");
                    } else {
                        reply.bytes(HttpResponseStatus.OK, "application/dash+xml", "no-cache",
                                Unpooled.wrappedBuffer(DashManifest.render(v, wallClock.getAsLong(), bitRate(v), uriQuery)
                                        .getBytes(StandardCharsets.UTF_8)));
                    }
                }, reply.executor());
    }

    private void media(HlsReply reply, HlsStream muxer, HlsPaths target) {
        PlaylistView v = muxer.view();
        HlsMode mode = v.mode();
        switch (target.kind()) {
            case SEGMENT_TS, SEGMENT_MP4 -> {
                Segment s = (target.kind() == HlsPaths.Kind.SEGMENT_TS) == (mode == HlsMode.TS)
                        ? v.segment(target.sequence()) : null;
                if (s == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No segment " + target.sequence() + " of "
                            + target.stream() + " (the window holds " + window(v) + ").");
                } else {
                    reply.bytes(HttpResponseStatus.OK, mode == HlsMode.TS ? "video/mp2t" : "video/iso.segment",
                            "max-age=3600", s.content());
                }
            }
            case TRACK_SEGMENT -> {
                Segment s = v.segment(target.sequence());
                ByteBuf track = s == null ? null : s.track(target.video());
                if (track == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No DASH " + (target.video() ? "video" : "audio")
                            + " segment " + target.sequence() + " of " + target.stream() + ".");
                } else {
                    reply.bytes(HttpResponseStatus.OK, "video/iso.segment", "max-age=3600", track);
                }
            }
            case TRACK_INIT -> {
                InitSegments inits = v.initSegments().get(target.sequence());
                byte[] init = inits == null ? null : target.video() ? inits.video() : inits.audio();
                if (init == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No DASH initialization segment "
                            + (target.video() ? "v" : "a") + "init" + target.sequence() + " of " + target.stream() + ".");
                } else {
                    reply.bytes(HttpResponseStatus.OK, target.video() ? "video/mp4" : "audio/mp4", "max-age=3600",
                            Unpooled.wrappedBuffer(init));
                }
            }
            case INIT -> {
                InitSegments inits = v.initSegments().get(target.sequence());
                byte[] init = inits == null ? null : inits.muxed();
                if (init == null) {
                    reply.text(HttpResponseStatus.NOT_FOUND, "No initialization segment " + target.sequence()
                            + " of " + target.stream() + ".");
                } else {
                    reply.bytes(HttpResponseStatus.OK, "video/mp4", "max-age=3600", Unpooled.wrappedBuffer(init));
                }
            }
            case PART -> part(reply, muxer, v, target);
            default -> reply.text(HttpResponseStatus.NOT_FOUND, "Not a media file.");
        }
    }

    /** A part; the one the playlist hints at next is waited for (LL-HLS preload hint). */
    private void part(HlsReply reply, HlsStream muxer, PlaylistView v, HlsPaths target) {
        long seq = target.sequence();
        int index = target.part();
        Part p = v.part(seq, index);
        if (p != null) {
            reply.bytes(HttpResponseStatus.OK, "video/iso.segment", "max-age=3600", Unpooled.wrappedBuffer(p.data()));
            return;
        }
        boolean hinted = v.mode() == HlsMode.LLHLS && !v.ended()
                && (seq == v.nextSequence() && index == v.pendingParts().size() || seq == v.nextSequence() + 1 && index == 0);
        if (!hinted) {
            reply.text(HttpResponseStatus.NOT_FOUND, "No part " + seq + "." + index + " of " + target.stream() + ".");
            return;
        }
        Duration wait = Duration.ofMillis(Math.max(3 * v.partTargetMillis(), 1000)
                + 1000L * Math.max(1, v.targetDuration()));
        muxer.await(x -> x.part(seq, index) != null || x.nextSequence() > seq, wait)
                .whenCompleteAsync((x, error) -> {
                    Part got = x == null ? null : x.part(seq, index);
                    if (got == null) {
                        reply.text(error != null ? HttpResponseStatus.SERVICE_UNAVAILABLE : HttpResponseStatus.NOT_FOUND,
                                "Part " + seq + "." + index + " of " + target.stream() + " did not come.");
                    } else {
                        reply.bytes(HttpResponseStatus.OK, "video/iso.segment", "max-age=3600",
                                Unpooled.wrappedBuffer(got.data()));
                    }
                }, reply.executor());
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

    // --- answers --------------------------------------------------------------------------------------

    private static long bitRate(PlaylistView v) {
        long bytes = 0;
        long ms = 0;
        for (Segment s : v.segments()) {
            bytes += s.size();
            ms += s.durationMillis();
        }
        return ms == 0 ? 0 : bytes * 8000 / ms;
    }

    private static String window(PlaylistView v) {
        if (v.segments().isEmpty()) {
            return "no segments yet";
        }
        return "segments " + v.segments().get(0).sequence() + " to " + v.segments().get(v.segments().size() - 1)
                .sequence();
    }

    private static long nonNegative(String text, String name) {
        try {
            long n = Long.parseLong(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException(name + " must be a whole number of at least 0, not '" + text + "'.");
    }
}
