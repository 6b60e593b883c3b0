package io.tributary.media.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.TrackKind;
import io.tributary.media.flv.FlvFrames;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What the stream tests share: a feed of real FLV frames whose bodies are all tracked (so a test can
 * check that every one was released), a subscriber that records what it was given, and a player
 * ({@link ChannelSubscriber}) that records what it wrote.
 */
final class StreamFixtures {
    static final StreamPath PATH = StreamPath.parse("live/test");
    static final SocketAddress ENCODER = InetSocketAddress.createUnresolved("encoder.example", 50000);
    /** 1280x720 High profile, 30 fps (libx264 via ffmpeg). */
    static final String AVC_RECORD = "0164001FFFE1001A6764001FACD9405005BB0110000003001000000303C0F18319600100"
            + "0668EBE3CB22C0FDF8F800";
    static final Duration WAIT = Duration.ofSeconds(10);

    private StreamFixtures() {
    }

    static StreamSettings settings(Duration grace, long gopCacheMaxBytes, Duration maxLag, int maxDrops) {
        return new StreamSettings(grace, gopCacheMaxBytes, maxLag, maxDrops);
    }

    /** One record of what a subscriber got: coded frames carry the sequence number the feed gave them. */
    record Seen(int seq, TrackKind kind, Frame.Type type, boolean key, long dts, long timestamp) {
        static Seen of(Frame f, long timestamp) {
            int seq = f.type() == Frame.Type.CODED ? f.data().getInt(0) : -1;
            return new Seen(seq, f.kind(), f.type(), f.isKeyframe(), f.dts(), timestamp);
        }

        boolean coded() {
            return type == Frame.Type.CODED;
        }

        boolean config() {
            return type == Frame.Type.CONFIG;
        }

        @Override
        public String toString() {
            String k = kind == TrackKind.VIDEO ? "v" : kind == TrackKind.AUDIO ? "a" : "d";
            String what = coded() ? "#" + seq + (key ? "K" : "") : type.name().toLowerCase();
            return k + what + "@" + dts + (timestamp >= 0 ? "/" + timestamp : "");
        }
    }

    /** Makes frames as a publisher's FLV parser would, numbering the coded ones and tracking every body. */
    static final class Feed {
        static {
            // Every body is tracked and a leak is logged; the refCnt assertions are the deterministic check.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        }

        private final List<ByteBuf> bodies = new ArrayList<>();
        private final AtomicInteger seq = new AtomicInteger();
        private final int payload;

        Feed() {
            this(32);
        }

        /** @param payload bytes of codec data in each coded frame (at least 4: the sequence number) */
        Feed(int payload) {
            this.payload = Math.max(4, payload);
        }

        Frame videoConfig(long dts) {
            return FlvFrames.video(dts, body(ByteBufUtil.decodeHexDump("1700000000" + AVC_RECORD)));
        }

        /** AAC LC, 44.1 kHz, stereo. */
        Frame audioConfig(long dts) {
            return FlvFrames.audio(dts, body(new byte[] {(byte) 0xAF, 0, 0x12, 0x10}));
        }

        Frame key(long dts) {
            return FlvFrames.video(dts, coded(0x17, 0x01, 0, 0, 0));
        }

        Frame inter(long dts) {
            return FlvFrames.video(dts, coded(0x27, 0x01, 0, 0, 0));
        }

        Frame audio(long dts) {
            return FlvFrames.audio(dts, coded(0xAF, 0x01));
        }

        /** A cue point: script data that is neither configuration nor media. */
        Frame cuePoint(long dts) {
            return FlvFrames.data(dts, body(ByteBufUtil.decodeHexDump("02000A6F6E437565506F696E7405")));
        }

        /** An onMetaData script body; publishers hand its decoded values along with it. */
        Frame metadata() {
            return FlvFrames.data(0, body(ByteBufUtil.decodeHexDump("02000A6F6E4D65746144617461080000000000"
                    + "0009")));
        }

        static Map<String, Object> metadataValues(double frameRate) {
            return Map.of("framerate", frameRate, "width", 1280.0, "height", 720.0);
        }

        /** The sequence number the next coded frame will get. */
        int nextSeq() {
            return seq.get();
        }

        synchronized List<ByteBuf> bodies() {
            return new ArrayList<>(bodies);
        }

        /** Bodies still referenced by someone (the GOP cache, a queue, a channel). */
        synchronized List<ByteBuf> unreleased() {
            return bodies.stream().filter(b -> b.refCnt() != 0).toList();
        }

        void assertAllReleased() {
            assertThat(unreleased()).as("frame bodies still referenced").isEmpty();
        }

        void awaitAllReleased() {
            await().atMost(WAIT).untilAsserted(this::assertAllReleased);
        }

        private ByteBuf coded(int... header) {
            byte[] bytes = new byte[header.length + payload];
            for (int i = 0; i < header.length; i++) {
                bytes[i] = (byte) header[i];
            }
            int n = seq.getAndIncrement();
            bytes[header.length] = (byte) (n >>> 24);
            bytes[header.length + 1] = (byte) (n >>> 16);
            bytes[header.length + 2] = (byte) (n >>> 8);
            bytes[header.length + 3] = (byte) n;
            return body(bytes);
        }

        private synchronized ByteBuf body(byte[] bytes) {
            ByteBuf b = UnpooledByteBufAllocator.DEFAULT.heapBuffer(bytes.length).writeBytes(bytes);
            bodies.add(b);
            return b;
        }
    }

    /** What a subscriber saw at its start. */
    record Start(boolean hasVideo, boolean hasAudio, boolean publisherPresent, int gopFrames) {
    }

    /** A subscriber that records its callbacks in order: Start, Seen frames and StreamEvents. */
    static final class Recorder implements Subscriber {
        private final EventExecutor executor;
        private final String protocol;
        private final boolean viewer;
        private final List<Object> timeline = new ArrayList<>();
        private final AtomicInteger flushes = new AtomicInteger();
        volatile Consumer<Frame> onFrame = f -> { };
        volatile Subscription subscription;

        Recorder(EventExecutor executor) {
            this(executor, "rtmp", true);
        }

        Recorder(EventExecutor executor, String protocol, boolean viewer) {
            this.executor = executor;
            this.protocol = protocol;
            this.viewer = viewer;
        }

        /** Subscribes and remembers the subscription. */
        Recorder subscribeTo(LiveStream stream) {
            subscription = stream.subscribe(this);
            return this;
        }

        @Override
        public EventExecutor executor() {
            return executor;
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public boolean isViewer() {
            return viewer;
        }

        @Override
        public void onStart(StreamSnapshot snapshot) {
            assertThat(executor.inEventLoop()).as("onStart runs on the subscriber's executor").isTrue();
            record(new Start(snapshot.hasVideo(), snapshot.hasAudio(), snapshot.publisherPresent(),
                    snapshot.gop().size()));
            snapshot.forEachFrame(f -> record(Seen.of(f, -1)));
        }

        @Override
        public void onFrame(Frame frame) {
            if (!executor.inEventLoop()) {
                throw new AssertionError("onFrame outside the subscriber's executor");
            }
            Seen seen = Seen.of(frame, -1);
            record(seen);
            onFrame.accept(frame);
        }

        @Override
        public void onFlush() {
            flushes.incrementAndGet();
        }

        @Override
        public void onEvent(StreamEvent event) {
            record(event);
        }

        private synchronized void record(Object o) {
            timeline.add(o);
        }

        synchronized List<Object> timeline() {
            return new ArrayList<>(timeline);
        }

        List<Seen> frames() {
            return timeline().stream().filter(Seen.class::isInstance).map(Seen.class::cast).toList();
        }

        List<Integer> codedSeqs() {
            return frames().stream().filter(Seen::coded).map(Seen::seq).toList();
        }

        List<Long> dts() {
            return frames().stream().map(Seen::dts).toList();
        }

        List<StreamEvent> events() {
            return timeline().stream().filter(StreamEvent.class::isInstance).map(StreamEvent.class::cast).toList();
        }

        Start start() {
            return timeline().stream().filter(Start.class::isInstance).map(Start.class::cast).findFirst()
                    .orElse(null);
        }

        int flushes() {
            return flushes.get();
        }

        void awaitFrames(int count) {
            await().atMost(WAIT).until(() -> frames().size() >= count);
        }

        void awaitEvent(StreamEvent event) {
            await().atMost(WAIT).until(() -> events().contains(event));
        }

        void awaitStarted() {
            await().atMost(WAIT).until(() -> start() != null);
        }
    }

    /**
     * A player that records what it writes and puts each frame body on its channel (as HTTP-FLV does), so
     * that the channel's writability is real.
     */
    static final class Player extends ChannelSubscriber {
        private final List<Seen> written = new ArrayList<>();
        private final AtomicInteger left = new AtomicInteger();
        private final AtomicInteger returned = new AtomicInteger();
        private volatile boolean started;
        private volatile boolean ended;
        private final String protocol;

        Player(Channel channel, StreamSettings settings) {
            this(channel, settings, "flv");
        }

        Player(Channel channel, StreamSettings settings, String protocol) {
            super(channel, settings);
            this.protocol = protocol;
        }

        Player subscribeTo(LiveStream stream) {
            bind(stream.subscribe(this));
            return this;
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        protected void writeStart(StreamSnapshot snapshot) {
            started = true;
        }

        @Override
        protected void writeFrame(Frame frame, long timestamp) {
            synchronized (written) {
                written.add(Seen.of(frame, timestamp));
            }
            channel.write(frame.body().retainedDuplicate(), channel.voidPromise());
        }

        @Override
        protected void writeEnd() {
            ended = true;
            channel.close();
        }

        @Override
        protected void publisherLeft() {
            left.incrementAndGet();
        }

        @Override
        protected void publisherReturned() {
            returned.incrementAndGet();
        }

        List<Seen> written() {
            synchronized (written) {
                return new ArrayList<>(written);
            }
        }

        List<Integer> writtenSeqs() {
            return written().stream().filter(Seen::coded).map(Seen::seq).toList();
        }

        boolean started() {
            return started;
        }

        boolean ended() {
            return ended;
        }

        int publisherLeftCalls() {
            return left.get();
        }

        int publisherReturnedCalls() {
            return returned.get();
        }
    }
}
