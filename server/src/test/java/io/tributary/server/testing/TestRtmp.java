package io.tributary.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.media.Frame;
import io.tributary.media.amf.AmfObject;
import io.tributary.media.flv.FlvFrames;
import io.tributary.rtmp.client.PlayListener;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpPublication;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpStatusException;
import io.tributary.rtmp.client.RtmpUrl;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RTMP publishers and players made with the project's own client, for tests that need a stream live or
 * watched, or the exact status code of a refusal. They connect to a test node or to any port on
 * 127.0.0.1 (a test relay, HAProxy); a publisher can be fed frames at 25 fps, as an encoder would.
 * Closing it stops the feeding and closes every connection it opened.
 */
public final class TestRtmp implements AutoCloseable {
    /** How long any RTMP answer may take before the test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String LOOPBACK = "127.0.0.1";
    private static final String APP = "live";
    private static final byte[] AVC_CONFIG = ByteBufUtil.decodeHexDump(
            "0142C01EFFE100196742C01ED900A02FF970110000030001000003003C0F162E4801000568CB83CB20");

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final RtmpClient client = new RtmpClient(group, NioSocketChannel.class);
    private final ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    private final List<RtmpSession> sessions = new CopyOnWriteArrayList<>();

    /** A publishing connection. */
    public record Publishing(RtmpSession session, RtmpPublication publication) {
    }

    /** A playing connection, every onStatus code its stream received (in order) and the frames that arrived. */
    public record Playing(RtmpSession session, List<String> statuses, AtomicLong frames) {
    }

    /** Connects to {@code app}; fails the test if the server refuses or does not answer. */
    public RtmpSession connect(String host, int port, String app) {
        RtmpUrl url = RtmpUrl.parse("rtmp://" + host + ":" + port + "/" + app + "/x");
        RtmpSession session = await(client.connect(url, TIMEOUT));
        sessions.add(session);
        return session;
    }

    public RtmpSession connect(TestNode node, String app) {
        return connect(LOOPBACK, node.node().rtmpPort(), app);
    }

    /** Connects to {@code live} on 127.0.0.1. */
    public RtmpSession connect(int port) {
        return connect(LOOPBACK, port, APP);
    }

    /** Publishes {@code live/streamId}; returns once the server said NetStream.Publish.Start. */
    public Publishing publish(int port, String streamId) {
        RtmpSession session = connect(port);
        return new Publishing(session, await(session.publish(streamId)));
    }

    public Publishing publish(TestNode node, String streamId) {
        return publish(node.node().rtmpPort(), streamId);
    }

    /** Publishes and keeps sending frames (a keyframe a second) until closed. */
    public Publishing publishFed(int port, String streamId) {
        Publishing publishing = publish(port, streamId);
        RtmpPublication publication = publishing.publication();
        publication.send(FlvFrames.video(0, Unpooled.buffer().writeBytes(new byte[] {0x17, 0, 0, 0, 0})
                .writeBytes(AVC_CONFIG)), 0);
        AtomicLong n = new AtomicLong();
        feeder.scheduleAtFixedRate(() -> {
            long i = n.getAndIncrement();
            publication.send(picture(i % 25 == 0), i * 40);
        }, 0, 40, TimeUnit.MILLISECONDS);
        return publishing;
    }

    /** Tries to publish and returns the code of the server's refusal; fails the test if it was accepted. */
    public String publishRefusal(int port, String streamId) {
        return refusal(connect(port).publish(streamId));
    }

    public String publishRefusal(TestNode node, String streamId) {
        return publishRefusal(node.node().rtmpPort(), streamId);
    }

    /** Tries to publish {@code app/streamId} (the id may carry a query) and returns the refusal (code, description). */
    public RtmpStatusException publishRefused(TestNode node, String app, String streamId) {
        return refused(connect(node, app).publish(streamId));
    }

    /** Plays {@code live/streamId}; returns once the server said NetStream.Play.Start. */
    public Playing play(int port, String streamId) {
        return play(connect(port), streamId);
    }

    /** Plays {@code app/streamId} (the id may carry a query); returns once the server said NetStream.Play.Start. */
    public Playing play(TestNode node, String app, String streamId) {
        return play(connect(node, app), streamId);
    }

    private Playing play(RtmpSession session, String streamId) {
        List<String> statuses = new CopyOnWriteArrayList<>();
        AtomicLong frames = new AtomicLong();
        await(session.play(streamId, new PlayListener() {
            @Override
            public void onFrame(Frame frame) {
                frames.incrementAndGet();
            }

            @Override
            public void onStatus(String code, AmfObject info) {
                statuses.add(code);
            }
        }));
        return new Playing(session, statuses, frames);
    }

    public Playing play(TestNode node, String streamId) {
        return play(node.node().rtmpPort(), streamId);
    }

    /** Tries to play and returns the code of the server's refusal; fails the test if it was accepted. */
    public String playRefusal(int port, String streamId) {
        return refusal(connect(port).play(streamId, frame -> {
        }));
    }

    public String playRefusal(TestNode node, String streamId) {
        return playRefusal(node.node().rtmpPort(), streamId);
    }

    /** Tries to play {@code app/streamId} (the id may carry a query) and returns the refusal (code, description). */
    public RtmpStatusException playRefused(TestNode node, String app, String streamId) {
        return refused(connect(node, app).play(streamId, frame -> {
        }));
    }

    /** Waits for the session's connection to close, as a user's encoder notices a kick. */
    public static void awaitClosed(RtmpSession session) {
        await(session.closeFuture());
    }

    /** The future's value; fails the test if it failed or took longer than {@link #TIMEOUT}. */
    public static <T> T await(CompletableFuture<T> f) {
        try {
            return answer(f, "no RTMP answer");
        } catch (ExecutionException e) {
            throw new AssertionError("RTMP request failed: " + e.getCause(), e.getCause());
        }
    }

    private static String refusal(CompletableFuture<?> attempt) {
        return refused(attempt).code();
    }

    private static RtmpStatusException refused(CompletableFuture<?> attempt) {
        try {
            Object accepted = answer(attempt, "no answer");
            throw new AssertionError("expected a refusal, but the server accepted: " + accepted);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RtmpStatusException refused) {
                return refused;
            }
            throw new AssertionError("refused without a status: " + e.getCause(), e.getCause());
        }
    }

    /** The server's answer, or its failure as an ExecutionException; fails the test after {@link #TIMEOUT}. */
    private static <T> T answer(CompletableFuture<T> f, String silence) throws ExecutionException {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(silence + " within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Frame picture(boolean key) {
        ByteBuf b = Unpooled.buffer(5 + 4 + 100);
        b.writeByte(key ? 0x17 : 0x27).writeByte(1).writeMedium(0).writeInt(100).writeZero(100);
        return FlvFrames.video(0, b);
    }

    @Override
    public void close() {
        feeder.shutdownNow();
        sessions.forEach(RtmpSession::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
