package io.tributary.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import io.tributary.bench.publish.PublishLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * Many light players in one process (not one ffmpeg per player): RTMP and HTTP-FLV players that parse
 * only what they must (chunk and tag headers, the marker at the start of each video frame) and count
 * bytes, frames and keyframes, time to the first keyframe and latency of every marked frame. A player's
 * own state is a few hundred bytes (about 2.5 KB of heap with its Netty channel); received buffers are
 * released as soon as they are counted.
 *
 * <p>Player {@code i} lives on event loop {@code i % eventLoops} and everything it records stays on that
 * loop's thread: latencies and times to first keyframe go to histograms owned by the loop, and the
 * generator reads them (and the players' counters) by running a task on each loop.
 */
public final class LoadGenerator implements PlayerGroup {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final long PACING_TICK_MILLIS = 10;

    private final LoadSpec spec;
    private final PublishLog published;
    private final EventLoopGroup group;
    private final EventLoop[] loops;
    private final LoopStats[] stats;
    private final Player[] players;
    private final Bootstrap bootstrap;
    private final ByteBuf flvRequest;
    private final AtomicInteger keyed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final AtomicInteger playing = new AtomicInteger();
    private final AtomicInteger failedBeforeKeyframe = new AtomicInteger();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final Object settledLock = new Object();
    private volatile Window window = Window.NONE;
    private volatile boolean closed;
    private long windowStartNanos;
    // Connect pacing: loop 0's only.
    private long pacingStartNanos;
    private int launched;
    private ScheduledFuture<?> pacing;

    private LoadGenerator(LoadSpec spec, PublishLog published, Duration readInterval) {
        this.spec = spec;
        this.published = published;
        Transport transport = Transport.best();
        this.group = transport.newGroup(spec.eventLoops(), "bench-players", readInterval);
        this.loops = new EventLoop[spec.eventLoops()];
        this.stats = new LoopStats[spec.eventLoops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = group.next();
            stats[i] = new LoopStats();
        }
        this.bootstrap = new Bootstrap()
                .channel(transport.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_TIMEOUT.toMillis());
        boolean flv = protocol(spec).equals("flv");
        this.flvRequest = flv ? FlvPlayer.request(spec.host(), spec.port(), spec.app(), spec.stream()) : null;
        RtmpPlayer.RtmpTarget rtmp = new RtmpPlayer.RtmpTarget(spec.host(), spec.port(), spec.app(), spec.stream());
        this.players = new Player[spec.players()];
        for (int i = 0; i < players.length; i++) {
            LoopStats loop = stats[i % loops.length];
            players[i] = flv ? new FlvPlayer(i, this, loop, flvRequest) : new RtmpPlayer(i, this, loop, rtmp);
        }
    }

    /** Starts connecting {@code spec.players()} players, paced by {@code spec.connectsPerSecond()}. */
    public static LoadGenerator start(LoadSpec spec, PublishLog published) {
        return start(spec, published, Duration.ZERO);
    }

    /**
     * As {@link #start(LoadSpec, PublishLog)}, each event loop reading its sockets at most once per
     * {@code readInterval}: fewer, larger reads cost the generator less CPU at high player counts (see
     * {@link PacedIoHandler}), and add up to {@code readInterval} to every latency and time to first
     * keyframe it measures. Zero reads as soon as data arrives (what latency measurements need).
     */
    public static LoadGenerator start(LoadSpec spec, PublishLog published, Duration readInterval) {
        if (spec.players() < 0 || spec.eventLoops() < 1 || spec.connectsPerSecond() < 1) {
            throw new IllegalArgumentException("a level needs players >= 0, eventLoops >= 1 and connectsPerSecond >= 1: "
                    + spec);
        }
        protocol(spec);
        LoadGenerator generator = new LoadGenerator(spec, published, readInterval);
        generator.loops[0].execute(generator::startPacing);
        return generator;
    }

    /**
     * Waits until every player has its first keyframe or failed, up to {@code timeout}.
     *
     * @return how many players have their first keyframe
     */
    public int awaitPlaying(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (settledLock) {
            for (;;) {
                long left = deadline - System.nanoTime();
                if (keyed.get() + failedBeforeKeyframe.get() >= players.length || left <= 0) {
                    return keyed.get();
                }
                TimeUnit.NANOSECONDS.timedWait(settledLock, left);
            }
        }
    }

    /** Opens the measurement window: from now on, frames from {@code published.nextSeq()} count. */
    public void startWindow() {
        long from = published.nextSeq();
        windowStartNanos = System.nanoTime();
        window = new Window(window.epoch() + 1, from, Long.MAX_VALUE);
    }

    /**
     * Closes the window: frames from {@code published.nextSeq()} on no longer count; waits {@code settle}
     * (a GOP) for frames already sent to arrive, then tells what every player saw in the window.
     */
    public LevelResult endWindow(Duration settle) throws InterruptedException {
        Window open = window;
        if (open == Window.NONE) {
            throw new IllegalStateException("endWindow without startWindow");
        }
        long to = published.nextSeq();
        long windowNanos = System.nanoTime() - windowStartNanos;
        Window closing = new Window(open.epoch(), open.from(), to);
        window = closing;
        List<Future<LoopResult>> parts = new ArrayList<>();
        for (int i = 0; i < loops.length; i++) {
            int loop = i;
            parts.add(loops[i].schedule(() -> collect(loop, closing), settle.toNanos(), TimeUnit.NANOSECONDS));
        }
        long publishedBytes = -1;
        Histogram latency = LoopStats.newHistogram();
        Histogram ttff = LoopStats.newHistogram();
        double minRatio = players.length == 0 ? 1 : Double.MAX_VALUE;
        double ratioSum = 0;
        int below99 = 0;
        long maxLagNanos = 0;
        long bytes = 0;
        for (Future<LoopResult> f : parts) {
            LoopResult part;
            try {
                part = f.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("collecting a level's results failed", e.getCause());
            }
            if (publishedBytes < 0) {
                // Frame "to" has been sent by now (settle is a GOP), so its predecessors' audio is complete.
                publishedBytes = published.bytesBetween(closing.from(), closing.to());
            }
            latency.add(part.latency);
            ttff.add(part.ttff);
            maxLagNanos = Math.max(maxLagNanos, part.maxLagNanos);
            for (long b : part.windowBytes) {
                double ratio = publishedBytes <= 0 ? 1 : (double) b / publishedBytes;
                minRatio = Math.min(minRatio, ratio);
                ratioSum += ratio;
                if (ratio < 0.99) {
                    below99++;
                }
                bytes += b;
            }
        }
        return new LevelResult(players.length, keyed.get(), failed.get(), firstError.get(), minRatio,
                players.length == 0 ? 1 : ratioSum / players.length, below99,
                TimeUnit.NANOSECONDS.toMillis(maxLagNanos), ttff, latency, bytes, windowNanos);
    }

    /** The first sequence number of the last window opened, -1 before any. */
    public long windowFirstSeq() {
        Window w = window;
        return w == Window.NONE ? -1 : w.from();
    }

    /** The sequence number that ended the last window closed (frames before it counted), -1 while none is. */
    public long windowEndSeq() {
        Window w = window;
        return w == Window.NONE || w.to() == Long.MAX_VALUE ? -1 : w.to();
    }

    /** Players still connected. */
    public int playing() {
        return playing.get();
    }

    /** What each player saw so far, in player order (read on the players' event loops). */
    public List<PlayerStatus> players() throws InterruptedException {
        List<Future<List<PlayerStatus>>> parts = new ArrayList<>();
        for (int i = 0; i < loops.length; i++) {
            int loop = i;
            parts.add(loops[i].submit(() -> {
                List<PlayerStatus> mine = new ArrayList<>();
                for (int p = loop; p < players.length; p += loops.length) {
                    mine.add(status(players[p]));
                }
                return mine;
            }));
        }
        PlayerStatus[] all = new PlayerStatus[players.length];
        for (Future<List<PlayerStatus>> f : parts) {
            try {
                for (PlayerStatus s : f.get()) {
                    all[s.index()] = s;
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("reading the players failed", e.getCause());
            }
        }
        return List.of(all);
    }

    /** Closes every player and the event loops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = 0; i < loops.length; i++) {
            int loop = i;
            loops[i].execute(() -> {
                if (loop == 0 && pacing != null) {
                    pacing.cancel(false);
                }
                for (int p = loop; p < players.length; p += loops.length) {
                    players[p].closeQuietly();
                }
            });
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (flvRequest != null) {
            flvRequest.unwrap().release();
        }
    }

    private static String protocol(LoadSpec spec) {
        String protocol = spec.protocol().toLowerCase(Locale.ROOT);
        if (!protocol.equals("rtmp") && !protocol.equals("flv")) {
            throw new IllegalArgumentException("no " + spec.protocol()
                    + " players: the load generator has rtmp and flv players");
        }
        return protocol;
    }

    Window window() {
        return window;
    }

    /** A player got its first keyframe (on its loop); called once per player, never after it failed. */
    void playerStarted(Player p) {
        keyed.incrementAndGet();
        playing.incrementAndGet();
        settled();
    }

    /** A player failed (on its loop); called once per player. */
    void playerFailed(Player p, String why) {
        failed.incrementAndGet();
        firstError.compareAndSet(null, "player " + p.index + " (" + p.protocol() + "): " + why);
        if (p.firstKeyNanos != 0) {
            playing.decrementAndGet();
        } else {
            failedBeforeKeyframe.incrementAndGet();
            settled();
        }
    }

    private void settled() {
        synchronized (settledLock) {
            settledLock.notifyAll();
        }
    }

    private void startPacing() {
        pacingStartNanos = System.nanoTime();
        pacing = loops[0].scheduleAtFixedRate(this::launchDue, 0, PACING_TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void launchDue() {
        long elapsed = System.nanoTime() - pacingStartNanos;
        long due = Math.min(players.length, 1 + elapsed * spec.connectsPerSecond() / 1_000_000_000L);
        while (launched < due && !closed) {
            launch(players[launched++]);
        }
        if (launched == players.length || closed) {
            pacing.cancel(false);
        }
    }

    private void launch(Player p) {
        p.connectNanos = System.nanoTime();
        ChannelFuture f = bootstrap.clone(loops[p.index % loops.length]).handler(p).connect(spec.host(), spec.port());
        f.addListener(done -> {
            if (!done.isSuccess()) {
                p.fail("cannot connect to " + spec.host() + ":" + spec.port() + ": " + done.cause().getMessage());
            }
        });
    }

    /** Runs on loop {@code loop} once the window closed and settled. */
    private LoopResult collect(int loop, Window w) {
        long now = System.nanoTime();
        int mine = (players.length - loop + loops.length - 1) / loops.length;
        LoopResult r = new LoopResult(new long[Math.max(0, mine)]);
        int k = 0;
        for (int p = loop; p < players.length; p += loops.length) {
            Player player = players[p];
            player.syncWindow(w);
            r.windowBytes[k++] = player.windowBytes;
            long lag = player.windowWorstLag;
            if (player.connectNanos != 0 && player.maxSeq < w.to() - 1) {
                // Still waiting for frames of the window: behind by at least how long the first missing one waits.
                long sent = published.sentNanos(Math.max(player.maxSeq + 1, w.from()));
                long best = player.bestLatency == Long.MAX_VALUE ? 0 : player.bestLatency;
                if (sent > 0) {
                    lag = Math.max(lag, now - sent - best);
                }
            }
            r.maxLagNanos = Math.max(r.maxLagNanos, lag);
        }
        stats[loop].addLatency(w.epoch(), r.latency);
        stats[loop].addTtff(r.ttff);
        return r;
    }

    private static PlayerStatus status(Player p) {
        return new PlayerStatus(p.index, p.protocol(), p.firstKeyNanos != 0 && !p.failed(), p.sawCodedVideo,
                p.startedOnKeyframe, p.firstKeyNanos == 0 ? -1 : (p.firstKeyNanos - p.connectNanos) / 1000,
                p.bytes, p.frames, p.keyframes,
                p.bestLatency == Long.MAX_VALUE ? -1 : p.bestLatency / 1000, p.error);
    }

    /** One loop's share of a level's result. */
    private static final class LoopResult {
        final long[] windowBytes;
        final Histogram latency = LoopStats.newHistogram();
        final Histogram ttff = LoopStats.newHistogram();
        long maxLagNanos;

        LoopResult(long[] windowBytes) {
            this.windowBytes = windowBytes;
        }
    }
}
