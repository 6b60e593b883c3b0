package io.tributary.hls;

import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Codec;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import io.tributary.media.codec.CodecConfigException;
import io.tributary.media.stream.StreamEvent;
import io.tributary.media.stream.StreamSnapshot;
import io.tributary.media.stream.Subscriber;
import io.tributary.media.stream.Subscription;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's HLS: subscribes to the live stream like a player (but is not a viewer), cuts it into
 * keyframe-aligned segments (and LL-HLS parts), keeps a sliding window of them in memory, and publishes an
 * immutable {@link PlaylistView} after every part and segment, which requests read from any thread.
 *
 * <p>Cutting rules: a segment starts at a keyframe and ends at the first keyframe after 85 % of
 * {@code hls.segmentDuration}; when the publisher sends no keyframe in time, the segment is cut anyway at
 * the playlist's bound (target duration + 0.5 s, or {@code hls.maxSegmentDuration} before the target
 * duration is known), so a segment never breaks EXT-X-TARGETDURATION. The target duration is fixed when
 * the first segment ends: the whole seconds of {@code hls.segmentDuration}, or of that first segment when
 * the publisher's keyframes are further apart. An LL-HLS part ends at the last video frame that keeps it
 * within PART-TARGET ({@link HlsSettings#partTargetMillis()}) (decided when the next video frame shows the target would be passed, one
 * frame of look-ahead); every segment boundary is also a part boundary.
 *
 * <p>All state is confined to {@link #executor()}: frames, events, timers and waiters run there.
 */
public final class HlsStream implements Subscriber {
    private static final Logger log = LoggerFactory.getLogger(HlsStream.class);
    private static final double CUT_AT = 0.85;
    private static final long DEFAULT_INTERVAL_MS = 40;

    private final StreamPath path;
    private final HlsSettings settings;
    private final EventExecutor executor;
    private final LongSupplier wallClock;
    private final ChunkFormat format;

    private AvcConfig videoConfig;
    private AacConfig audioConfig;
    private boolean configDirty = true;
    private boolean hasVideo;
    private boolean muxingAudio;
    private boolean muxingVideo;
    private boolean warnedCodec;

    private final List<Frame> chunk = new ArrayList<>();
    private long chunkStartDts;
    private boolean chunkIndependent;
    private boolean chunkStartsSegment;
    private long fragmentSequence = 1;

    private boolean inSegment;
    private long segmentStartDts;
    private long segmentPdt;
    private boolean segmentIndependent;
    private boolean segmentDiscontinuity;
    private long segmentInitGeneration;
    private final List<Part> parts = new ArrayList<>();
    private final List<byte[]> chunks = new ArrayList<>();
    private final List<byte[]> videoChunks = new ArrayList<>();
    private final List<byte[]> audioChunks = new ArrayList<>();
    private volatile boolean dashWanted;
    private boolean segmentTracks;
    private boolean forceCut;
    private boolean pendingDiscontinuity;
    private final long firstSequence;
    private long nextSequence;
    private long discontinuitySequence;
    private int targetDuration;

    private long lastBoundaryDts = Long.MIN_VALUE;
    private int lastBoundaryIndex = -1;
    private long lastBoundaryChunkDts;
    private boolean lastBoundaryKey;
    private long lastDts = Long.MIN_VALUE;
    private final long[] gaps = new long[16];
    private int gapIndex;
    private long wallOffset = Long.MAX_VALUE;
    private long wallAtZero;

    private final ArrayDeque<Segment> window = new ArrayDeque<>();
    private final ArrayDeque<Expiring> expiring = new ArrayDeque<>();
    private final Map<Long, InitSegments> inits = new LinkedHashMap<>();
    private long initGeneration = -1;
    private Consumer<PlaylistView> onChange = v -> { };
    private boolean ended;
    private long version;
    private volatile PlaylistView view;
    private final List<Waiter> waiters = new ArrayList<>();
    private volatile Subscription subscription;
    private volatile long lastRequestNanos = System.nanoTime();

    private record Expiring(Segment segment, long untilNanos) {
    }

    private record Waiter(Predicate<PlaylistView> ready, CompletableFuture<PlaylistView> future) {
    }

    /**
     * @param firstSequence the first media sequence number; the node starts each muxer at the current
     *     second so that a restarted muxer never reuses a URI a player or cache has seen
     * @param wallClock epoch milliseconds, for PROGRAM-DATE-TIME (tests move it)
     */
    public HlsStream(StreamPath path, HlsSettings settings, EventExecutor executor, long firstSequence,
                     LongSupplier wallClock) {
        this(path, settings, executor, firstSequence, wallClock, ChunkFormat.of(settings.mode()));
    }

    HlsStream(StreamPath path, HlsSettings settings, EventExecutor executor, long firstSequence,
              LongSupplier wallClock, ChunkFormat format) {
        this.nextSequence = firstSequence;
        this.firstSequence = firstSequence;
        this.path = path;
        this.settings = settings;
        this.executor = executor;
        this.wallClock = wallClock;
        this.format = format;
        this.view = PlaylistView.empty(settings.mode(), settings.partTargetMillis(), firstSequence);
        java.util.Arrays.fill(gaps, DEFAULT_INTERVAL_MS);
    }

    public StreamPath path() {
        return path;
    }

    public HlsSettings settings() {
        return settings;
    }

    /** The latest snapshot; safe from any thread. */
    public PlaylistView view() {
        return view;
    }

    /**
     * A DASH manifest was asked for: from the next segment on, each segment is also written track by track
     * (DASH players want a track per representation; HLS plays both tracks together).
     */
    public void wantDash() {
        dashWanted = true;
    }

    /** Called on the muxer's thread with every new view (the disk writer follows the stream with it). */
    public void onChange(Consumer<PlaylistView> listener) {
        this.onChange = listener;
    }

    /** Remembers the subscription so that {@link #close()} leaves the stream. */
    public void bind(Subscription subscription) {
        this.subscription = subscription;
    }

    /** A request for this stream's HLS arrived: keeps the muxer from stopping for idleness. */
    public void touch() {
        lastRequestNanos = System.nanoTime();
    }

    /** How long since anyone asked for this stream's HLS. */
    public Duration idleFor() {
        return Duration.ofNanos(System.nanoTime() - lastRequestNanos);
    }

    /**
     * A view that satisfies {@code ready}, as soon as there is one: at once if the current one does,
     * otherwise when a part or segment finishes; fails with {@link TimeoutException} after {@code timeout}.
     */
    public CompletableFuture<PlaylistView> await(Predicate<PlaylistView> ready, Duration timeout) {
        CompletableFuture<PlaylistView> f = new CompletableFuture<>();
        PlaylistView now = view;
        if (ready.test(now)) {
            f.complete(now);
            return f;
        }
        executor.execute(() -> {
            if (ended || ready.test(view)) {
                f.complete(view);
                return;
            }
            Waiter w = new Waiter(ready, f);
            waiters.add(w);
            executor.schedule(() -> {
                if (waiters.remove(w)) {
                    f.completeExceptionally(new TimeoutException("no such media within " + timeout.toMillis() + " ms"));
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        });
        return f;
    }

    // --- Subscriber --------------------------------------------------------------------------------------

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public String protocol() {
        return "hls";
    }

    /** The muxer is not a viewer: HLS viewers are counted by the requests they make. */
    @Override
    public boolean isViewer() {
        return false;
    }

    @Override
    public void onStart(StreamSnapshot snapshot) {
        hasVideo = snapshot.hasVideo() || snapshot.videoConfig() != null;
        if (snapshot.videoConfig() != null) {
            config(snapshot.videoConfig());
        }
        if (snapshot.audioConfig() != null) {
            config(snapshot.audioConfig());
        }
        for (Frame f : snapshot.gop()) {
            onFrame(f);
        }
    }

    @Override
    public void onFrame(Frame frame) {
        if (ended) {
            return;
        }
        switch (frame.type()) {
            case CONFIG -> config(frame);
            case CODED -> coded(frame);
            default -> {
                // metadata and end-of-sequence markers have no place in a segment
            }
        }
    }

    @Override
    public void onFlush() {
        // segments are published as they finish, not per batch
    }

    @Override
    public void onEvent(StreamEvent event) {
        switch (event) {
            case PUBLISHER_LEFT -> {
                if (inSegment) {
                    closeSegment(lastDts == Long.MIN_VALUE ? segmentStartDts : lastDts + interval());
                    publish();
                }
            }
            case PUBLISHER_RETURNED -> {
                pendingDiscontinuity = nextSequence > firstSequence || inSegment;
                wallOffset = Long.MAX_VALUE;
                forceCut = true;
            }
            case ENDED -> finish();
        }
    }

    /** Stops: leaves the stream, ends the playlist, wakes every waiting request. */
    public void close() {
        Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        if (executor.inEventLoop()) {
            finish();
        } else {
            executor.execute(this::finish);
        }
    }

    private void finish() {
        if (ended) {
            return;
        }
        if (inSegment) {
            closeSegment(lastDts == Long.MIN_VALUE ? segmentStartDts : lastDts + interval());
        }
        ended = true;
        releaseChunk();
        publish();
    }

    // --- cutting -----------------------------------------------------------------------------------------

    private void config(Frame frame) {
        try {
            if (frame.isVideo()) {
                if (frame.codec() != Codec.H264) {
                    return;
                }
                AvcConfig c = AvcConfig.parse(frame.data());
                // A publisher that describes its video sends video: the first segment waits for its first
                // keyframe rather than starting audio-only (an encoder's first video frames come after a few
                // audio frames, and a player probing that first segment would see no video at all).
                hasVideo = true;
                if (!Codecs.same(c, videoConfig)) {
                    videoConfig = c;
                    changed();
                }
            } else if (frame.isAudio() && frame.codec() == Codec.AAC) {
                AacConfig c = AacConfig.parse(frame.data());
                if (!c.equals(audioConfig)) {
                    audioConfig = c;
                    changed();
                }
            }
        } catch (CodecConfigException e) {
            log.warn("hls {}: ignoring a {} configuration it cannot read: {}", path, frame.codec(), e.getMessage());
        }
    }

    private void changed() {
        configDirty = true;
        if (inSegment) {
            forceCut = true;
        }
    }

    private void coded(Frame f) {
        boolean video = f.isVideo();
        if (video && f.codec() != Codec.H264 || f.isAudio() && f.codec() != Codec.AAC) {
            if (!warnedCodec) {
                warnedCodec = true;
                log.warn("hls {}: {} is not muxed into HLS (H.264 and AAC are); those frames are left out",
                        path, f.codec());
            }
            return;
        }
        if (video) {
            hasVideo = true;
        }
        boolean boundary = hasVideo ? video : f.isAudio();
        boolean key = video ? f.isKeyframe() : !hasVideo;
        if (boundary) {
            noteGap(f.dts());
        }
        wall(f.dts());
        if (!inSegment) {
            if (!boundary || !key || hasVideo && videoConfig == null) {
                return; // a segment starts with a keyframe (and a configuration to describe it)
            }
            startSegment(f.dts(), true);
        } else if (boundary) {
            long age = f.dts() - segmentStartDts;
            // Cut before the frame that would carry the segment past its bound, so it never exceeds it.
            if (key && (forceCut || age >= cutAgeMillis()) || age + interval() > boundMillis()) {
                closeSegment(f.dts());
                publish();
                startSegment(f.dts(), key);
            } else if (settings.mode() == HlsMode.LLHLS && lastBoundaryIndex > 0
                    && f.dts() - chunkStartDts > settings.partTargetMillis()) {
                // This frame would carry the part past its target: the part ends at the previous video
                // frame (one frame of look-ahead keeps every part within PART-TARGET).
                splitChunk(lastBoundaryIndex, lastBoundaryChunkDts, lastBoundaryKey);
                publish();
            }
        }
        if (video ? !muxingVideo : !muxingAudio) {
            // A track the current muxer was made without (it began before the publisher sent it): its
            // frames wait for the next segment, which is made with it.
            if (video) {
                forceCut = true;
                configDirty = true;
            }
            return;
        }
        chunk.add(f.retain());
        if (boundary) {
            lastBoundaryIndex = chunk.size() - 1;
            lastBoundaryChunkDts = f.dts();
            lastBoundaryKey = key;
        }
        lastDts = Math.max(lastDts, f.dts());
    }

    /** Ends the part before frame {@code index} of the chunk; that frame starts the next part. */
    private void splitChunk(int index, long atDts, boolean independent) {
        List<Frame> head = new ArrayList<>(chunk.subList(0, index));
        List<Frame> tail = new ArrayList<>(chunk.subList(index, chunk.size()));
        chunk.clear();
        chunk.addAll(head);
        closeChunk(atDts);
        if (!inSegment) {
            tail.forEach(Frame::release); // the segment was dropped
            return;
        }
        chunk.addAll(tail);
        chunkStartDts = atDts;
        chunkIndependent = independent;
        lastBoundaryIndex = 0;
    }

    private long cutAgeMillis() {
        return (long) (settings.segmentDuration().toMillis() * CUT_AT);
    }

    /** The longest a segment may get: EXTINF rounded to the nearest second must not exceed the target. */
    private long boundMillis() {
        return targetDuration > 0 ? targetDuration * 1000L + 499 : settings.maxSegmentDuration().toMillis();
    }

    private void noteGap(long dts) {
        if (lastBoundaryDts != Long.MIN_VALUE && dts > lastBoundaryDts) {
            gaps[gapIndex++ % gaps.length] = dts - lastBoundaryDts;
        }
        lastBoundaryDts = dts;
    }

    /** The longest recent gap between boundary frames: how far the next one may be. */
    private long interval() {
        long max = 1;
        for (long g : gaps) {
            max = Math.max(max, g);
        }
        return max;
    }

    /** Wall clock at time 0 of the stream's timeline: follows the earliest arrivals, creeping up slowly. */
    private void wall(long dts) {
        long offset = wallClock.getAsLong() - dts;
        if (offset < wallOffset) {
            wallOffset = offset;
        } else {
            wallOffset += (offset - wallOffset) / 512;
        }
    }

    private void startSegment(long dts, boolean independent) {
        releaseChunk();
        if (configDirty) {
            format.configure(hasVideo ? videoConfig : null, audioConfig);
            muxingAudio = audioConfig != null;
            muxingVideo = hasVideo && videoConfig != null;
            InitSegments init = format.initSegments();
            if (init != null && (initGeneration < 0 || inits.get(initGeneration) != init)) {
                // Named after the first segment that needs it: unique across muxer restarts too.
                initGeneration = nextSequence;
                inits.put(initGeneration, init);
                while (inits.size() > 4) {
                    inits.remove(inits.keySet().iterator().next());
                }
            }
            configDirty = false;
        }
        if (wallAtZero == 0 && wallOffset != Long.MAX_VALUE) {
            wallAtZero = wallOffset;
        }
        inSegment = true;
        segmentStartDts = dts;
        segmentPdt = dts + (wallOffset == Long.MAX_VALUE ? wallClock.getAsLong() - dts : wallOffset);
        segmentIndependent = independent;
        segmentDiscontinuity = pendingDiscontinuity;
        if (pendingDiscontinuity) {
            discontinuitySequence++;
            pendingDiscontinuity = false;
        }
        segmentInitGeneration = initGeneration;
        segmentTracks = dashWanted && settings.mode().fragmentedMp4();
        forceCut = false;
        chunkStartDts = dts;
        chunkIndependent = independent;
        chunkStartsSegment = true;
        lastBoundaryIndex = -1;
    }

    private void closeChunk(long endDts) {
        if (chunk.isEmpty()) {
            return;
        }
        ChunkFormat.Output out;
        try {
            out = format.write(chunk, endDts, chunkStartsSegment, fragmentSequence++, segmentTracks);
        } catch (RuntimeException e) {
            // Frames the muxer cannot take (a malformed picture, say): this segment is lost, the stream goes
            // on from the next keyframe after a discontinuity.
            log.warn("hls {}: dropped a segment the muxer could not write: {}", path, e.toString());
            parts.clear();
            chunks.clear();
            videoChunks.clear();
            audioChunks.clear();
            inSegment = false;
            pendingDiscontinuity = true;
            return;
        } finally {
            releaseChunk();
        }
        byte[] bytes = out.muxed();
        if (out.video() != null) {
            videoChunks.add(out.video());
        }
        if (out.audio() != null) {
            audioChunks.add(out.audio());
        }
        if (settings.mode() == HlsMode.LLHLS) {
            parts.add(new Part(parts.size(), Math.max(1, endDts - chunkStartDts), chunkIndependent, bytes));
        }
        chunks.add(bytes);
        chunkStartsSegment = false;
    }

    private void closeSegment(long endDts) {
        closeChunk(endDts);
        inSegment = false;
        if (chunks.isEmpty()) {
            parts.clear();
            videoChunks.clear();
            audioChunks.clear();
            return;
        }
        long duration = Math.max(1, endDts - segmentStartDts);
        Segment s = new Segment(nextSequence++, segmentDiscontinuity, discontinuitySequence, segmentStartDts,
                duration, segmentPdt, segmentIndependent, segmentInitGeneration, parts, chunks, videoChunks,
                audioChunks);
        parts.clear();
        chunks.clear();
        videoChunks.clear();
        audioChunks.clear();
        if (targetDuration == 0) {
            targetDuration = (int) Math.min(Math.ceil(settings.maxSegmentDuration().toMillis() / 1000.0),
                    Math.max(Math.ceil(settings.segmentDuration().toMillis() / 1000.0),
                            Math.round(duration / 1000.0)));
        }
        window.addLast(s);
        long now = System.nanoTime();
        while (window.size() > settings.listSize()) {
            Segment gone = window.removeFirst();
            // RFC 8216 6.2.2: a segment stays available for its duration plus the playlist's after it leaves.
            long keepMs = gone.durationMillis() + windowMillis() + targetDuration * 1000L;
            expiring.addLast(new Expiring(gone, now + TimeUnit.MILLISECONDS.toNanos(keepMs)));
        }
    }

    private long windowMillis() {
        long d = 0;
        for (Segment s : window) {
            d += s.durationMillis();
        }
        return d;
    }

    private void releaseChunk() {
        for (Frame f : chunk) {
            f.release();
        }
        chunk.clear();
        lastBoundaryIndex = -1;
    }

    private void publish() {
        long now = System.nanoTime();
        for (Iterator<Expiring> it = expiring.iterator(); it.hasNext(); ) {
            if (it.next().untilNanos() - now < 0) {
                it.remove();
            }
        }
        List<Segment> segments = List.copyOf(window);
        List<Segment> retained = new ArrayList<>(expiring.size() + segments.size());
        expiring.forEach(e -> retained.add(e.segment()));
        retained.addAll(segments);
        PlaylistView v = new PlaylistView(settings.mode(), ++version, targetDuration,
                settings.partTargetMillis(), segments, List.copyOf(retained),
                inSegment ? List.copyOf(parts) : List.of(), nextSequence, inSegment && segmentDiscontinuity,
                Map.copyOf(inits), initGeneration, ended, format.codecs(), format.videoCodecs(), format.audioCodecs(),
                videoConfig == null ? 0 : videoConfig.width(), videoConfig == null ? 0 : videoConfig.height(),
                wallAtZero);
        view = v;
        onChange.accept(v);
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (v.ended() || w.ready().test(v)) {
                it.remove();
                w.future().complete(v);
            }
        }
    }
}
