package io.tributary.bench.load;

import io.tributary.bench.marker.FrameMarker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * HLS players as real ones behave: each polls the stream's playlist and fetches every new segment once,
 * in order, starting at the live edge; on a Low-Latency HLS playlist it uses blocking reloads
 * ({@code _HLS_msn}/{@code _HLS_part}) and fetches every new part once instead. Every marked frame in what
 * a player fetched gives a latency (its publisher's send time to the moment the segment or part had
 * arrived); the time to the first frame is the time to the first complete segment or part.
 *
 * <p>A player's delivery is the share of the segments that came out during the window it fetched; its lag
 * is how much later than its best one a segment (or part) arrived. HTTP goes through one
 * {@link HttpClient} (its own selector thread and a small pool, all pinned with this process).
 */
public final class HlsPlayers implements PlayerGroup {
    private static final Pattern MEDIA_SEQUENCE = Pattern.compile("#EXT-X-MEDIA-SEQUENCE:(\\d+)");
    private static final Pattern TARGET = Pattern.compile("#EXT-X-TARGETDURATION:(\\d+)");
    private static final Pattern SEGMENT = Pattern.compile("#EXTINF:[0-9.]+,[^\\n]*\\n([^#\\n][^\\n]*)");
    private static final Pattern PART = Pattern.compile("#EXT-X-PART:[^\\n]*URI=\"([^\"]*?(\\d+)\\.(\\d+)\\.m4s)\"");
    private static final Pattern MAP = Pattern.compile("#EXT-X-MAP:URI=\"([^\"]+)\"");

    private final LoadSpec spec;
    private final URI playlist;
    private final HttpClient http;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer;
    private final List<Viewer> viewers = new ArrayList<>();
    private final AtomicLong newestSegment = new AtomicLong(-1);
    private volatile boolean closed;
    private volatile Measuring window;

    /** The segments that came out in a window, by the newest sequence any player saw at its ends. */
    private record Measuring(long startNanos, long fromSequence) {
    }

    private HlsPlayers(LoadSpec spec) {
        this.spec = spec;
        this.playlist = URI.create("http://" + spec.host() + ":" + spec.port() + "/" + spec.app() + "/streams/"
                + spec.stream() + ".m3u8");
        this.pool = Executors.newFixedThreadPool(Math.max(1, spec.eventLoops()), daemon("bench-hls"));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("bench-hls-timer"));
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(pool)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts {@code spec.players()} players, at most {@code spec.connectsPerSecond()} a second. */
    public static HlsPlayers start(LoadSpec spec) {
        HlsPlayers players = new HlsPlayers(spec);
        long gapNanos = 1_000_000_000L / Math.max(1, spec.connectsPerSecond());
        for (int i = 0; i < spec.players(); i++) {
            Viewer v = players.new Viewer();
            players.viewers.add(v);
            players.timer.schedule(v::begin, i * gapNanos, TimeUnit.NANOSECONDS);
        }
        return players;
    }

    /** Waits until every player has its first segment or part (or failed); returns how many play. */
    public int awaitPlaying(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (viewers.stream().allMatch(v -> v.firstFrameNanos > 0 || v.error.get() != null)) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return (int) viewers.stream().filter(v -> v.firstFrameNanos > 0).count();
    }

    public void startWindow() {
        for (Viewer v : viewers) {
            v.resetWindow();
        }
        window = new Measuring(System.nanoTime(), newestSegment.get());
    }

    /**
     * Ends the window: waits {@code settle} for the segments that came out in it to be fetched, then sums
     * what every player saw.
     */
    public LevelResult endWindow(Duration settle) throws InterruptedException {
        Measuring w = window;
        long windowNanos = System.nanoTime() - w.startNanos();
        long toSequence = newestSegment.get();
        TimeUnit.NANOSECONDS.sleep(settle.toNanos());
        long expected = Math.max(1, toSequence - w.fromSequence());
        Histogram latency = LoopStats.newHistogram();
        Histogram ttff = LoopStats.newHistogram();
        int connected = 0;
        int failed = 0;
        int below99 = 0;
        String firstError = null;
        double minRatio = 1;
        double sumRatio = 0;
        long maxLag = 0;
        long bytes = 0;
        for (Viewer v : viewers) {
            synchronized (v) {
                if (v.firstFrameNanos > 0) {
                    connected++;
                    ttff.recordValue(Math.max(0, (v.firstFrameNanos - v.startNanos) / 1000));
                }
                if (v.error.get() != null) {
                    failed++;
                    firstError = firstError == null ? v.error.get() : firstError;
                }
                long got = v.segmentsIn(w.fromSequence(), toSequence);
                double ratio = Math.min(1.0, got / (double) expected);
                minRatio = Math.min(minRatio, ratio);
                sumRatio += ratio;
                if (ratio < 0.99) {
                    below99++;
                }
                latency.add(v.latency);
                if (v.bestArrivalLag != Long.MAX_VALUE) {
                    maxLag = Math.max(maxLag, (v.worstArrivalLag - v.bestArrivalLag) / 1_000_000);
                }
                bytes += v.windowBytes;
            }
        }
        return new LevelResult(viewers.size(), connected, failed, firstError, minRatio,
                viewers.isEmpty() ? 0 : sumRatio / viewers.size(), below99, maxLag, ttff, latency, bytes, windowNanos);
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        pool.shutdownNow();
    }

    /** One player. Its requests run one after another, so its state needs no more than its monitor. */
    private final class Viewer {
        final AtomicReference<String> error = new AtomicReference<>();
        final Histogram latency = LoopStats.newHistogram();
        final FrameMarker.Reading reading = new FrameMarker.Reading();
        final List<Long> windowSegments = new ArrayList<>();
        long startNanos;
        volatile long firstFrameNanos;
        long nextSegment = -1;
        long nextPartMsn = -1;
        int nextPart;
        long targetMillis = 2000;
        boolean counting;
        long windowBytes;
        long bestArrivalLag = Long.MAX_VALUE;
        long worstArrivalLag;

        void begin() {
            startNanos = System.nanoTime();
            poll();
        }

        synchronized void resetWindow() {
            counting = true;
            windowSegments.clear();
            windowBytes = 0;
            latency.reset();
            bestArrivalLag = Long.MAX_VALUE;
            worstArrivalLag = 0;
        }

        synchronized long segmentsIn(long fromExclusive, long toInclusive) {
            return windowSegments.stream().filter(s -> s > fromExclusive && s <= toInclusive).distinct().count();
        }

        /** Reads the playlist (blocking on the next part in LL-HLS) and fetches what is new. */
        void poll() {
            if (closed) {
                return;
            }
            String query = nextPartMsn >= 0 ? "?_HLS_msn=" + nextPartMsn + "&_HLS_part=" + nextPart : "";
            get(URI.create(playlist + query), HttpResponse.BodyHandlers.ofString())
                    .thenCompose(r -> r.statusCode() == 200 ? fetchNew(r.body()) : fail("playlist: HTTP " + r.statusCode()))
                    .whenComplete((delay, e) -> {
                        if (e != null) {
                            error.compareAndSet(null, String.valueOf(e.getCause() != null ? e.getCause() : e));
                            return;
                        }
                        if (!closed) {
                            timer.schedule(this::poll, delay, TimeUnit.MILLISECONDS);
                        }
                    });
        }

        /** Fetches the new parts or segments of a playlist in order; answers how long to wait before polling. */
        private CompletableFuture<Long> fetchNew(String text) {
            Matcher t = TARGET.matcher(text);
            if (t.find()) {
                targetMillis = Long.parseLong(t.group(1)) * 1000;
            }
            Matcher seq = MEDIA_SEQUENCE.matcher(text);
            long first = seq.find() ? Long.parseLong(seq.group(1)) : 0;
            List<String> segments = new ArrayList<>();
            Matcher s = SEGMENT.matcher(text);
            while (s.find()) {
                segments.add(s.group(1));
            }
            long newest = first + segments.size() - 1;
            newestSegment.accumulateAndGet(newest, Math::max);
            CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
            Matcher map = MAP.matcher(text);
            if (map.find() && firstFrameNanos == 0 && nextSegment < 0 && nextPartMsn < 0) {
                chain = chain.thenCompose(x -> fetch(map.group(1), -1, false));
            }
            if (text.contains("#EXT-X-PART-INF")) {
                Matcher p = PART.matcher(text);
                List<String[]> parts = new ArrayList<>();
                while (p.find()) {
                    parts.add(new String[] {p.group(1), p.group(2), p.group(3)});
                }
                if (nextPartMsn < 0 && !parts.isEmpty()) {
                    String[] last = parts.get(parts.size() - 1);
                    nextPartMsn = Long.parseLong(last[1]);
                    nextPart = Integer.parseInt(last[2]);
                }
                for (String[] part : parts) {
                    long msn = Long.parseLong(part[1]);
                    int index = Integer.parseInt(part[2]);
                    if (msn > nextPartMsn || msn == nextPartMsn && index >= nextPart) {
                        boolean lastOfSegment = msn < newest + 1 && index == lastPartIndex(parts, msn);
                        chain = chain.thenCompose(x -> fetch(part[0], lastOfSegment ? msn : -1, true));
                        nextPartMsn = lastOfSegment ? msn + 1 : msn;
                        nextPart = lastOfSegment ? 0 : index + 1;
                    }
                }
                return chain.thenApply(x -> 0L);
            }
            if (nextSegment < 0) {
                nextSegment = newest;
            }
            for (int i = 0; i < segments.size(); i++) {
                long n = first + i;
                if (n >= nextSegment) {
                    String uri = segments.get(i);
                    chain = chain.thenCompose(x -> fetch(uri, n, false));
                    nextSegment = n + 1;
                }
            }
            return chain.thenApply(x -> Math.max(100, targetMillis / 2));
        }

        private int lastPartIndex(List<String[]> parts, long msn) {
            int max = -1;
            for (String[] p : parts) {
                if (Long.parseLong(p[1]) == msn) {
                    max = Math.max(max, Integer.parseInt(p[2]));
                }
            }
            return max;
        }

        /** Fetches one file; {@code completes} is the segment it completes (-1 for none). */
        private CompletableFuture<Void> fetch(String relative, long completes, boolean part) {
            return get(playlist.resolve(relative), HttpResponse.BodyHandlers.ofByteArray()).thenCompose(r -> {
                if (r.statusCode() != 200) {
                    return fail(relative + ": HTTP " + r.statusCode());
                }
                arrived(r.body(), completes, part);
                return CompletableFuture.completedFuture(null);
            });
        }

        private synchronized void arrived(byte[] body, long completes, boolean part) {
            long now = System.nanoTime();
            long newestSent = Long.MIN_VALUE;
            int marks = 0;
            for (int at = FrameMarker.find(body, 0); at >= 0; at = FrameMarker.find(body, at + 1)) {
                if (FrameMarker.readPayload(body, at, reading)) {
                    marks++;
                    newestSent = Math.max(newestSent, reading.sentNanos());
                    if (counting) {
                        latency.recordValue(Math.max(0, (now - reading.sentNanos()) / 1000));
                    }
                }
            }
            if (marks > 0 && firstFrameNanos == 0) {
                firstFrameNanos = now;
            }
            if (counting) {
                windowBytes += body.length;
                if (completes >= 0 || !part) {
                    windowSegments.add(completes);
                }
                if (marks > 0) {
                    long lag = now - newestSent;
                    bestArrivalLag = Math.min(bestArrivalLag, lag);
                    worstArrivalLag = Math.max(worstArrivalLag, lag);
                }
            }
        }

        private <T> CompletableFuture<HttpResponse<T>> get(URI uri, HttpResponse.BodyHandler<T> handler) {
            return http.sendAsync(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), handler);
        }

        private <T> CompletableFuture<T> fail(String why) {
            return CompletableFuture.failedFuture(new IllegalStateException(why));
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
