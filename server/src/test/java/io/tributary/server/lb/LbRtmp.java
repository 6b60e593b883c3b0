package io.tributary.server.lb;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.media.Frame;
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
 * Encoders and players made with the project's RTMP client, against any host and port (a node, a test
 * relay, HAProxy). A publisher can be fed frames at 25 fps, as an encoder would. Closing it stops
 * everything it started.
 */
final class LbRtmp implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] AVC_CONFIG = ByteBufUtil.decodeHexDump(
            "0142C01EFFE100196742C01ED900A02FF970110000030001000003003C0F162E4801000568CB83CB20");

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final RtmpClient client = new RtmpClient(group, NioSocketChannel.class);
    private final ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
    private final List<RtmpSession> sessions = new CopyOnWriteArrayList<>();

    RtmpSession connect(int port) {
        RtmpSession session = await(client.connect(RtmpUrl.parse("rtmp://127.0.0.1:" + port + "/live/x"), TIMEOUT));
        sessions.add(session);
        return session;
    }

    /** Publishes {@code live/streamId} on {@code port}; returns once the server said NetStream.Publish.Start. */
    RtmpPublication publish(int port, String streamId) {
        return await(connect(port).publish(streamId));
    }

    /** Publishes and keeps sending frames (a keyframe a second) until closed. */
    RtmpPublication publishFed(int port, String streamId) {
        RtmpPublication publication = publish(port, streamId);
        publication.send(FlvFrames.video(0, Unpooled.buffer().writeBytes(new byte[] {0x17, 0, 0, 0, 0})
                .writeBytes(AVC_CONFIG)), 0);
        AtomicLong n = new AtomicLong();
        feeder.scheduleAtFixedRate(() -> {
            long i = n.getAndIncrement();
            publication.send(picture(i % 25 == 0), i * 40);
        }, 0, 40, TimeUnit.MILLISECONDS);
        return publication;
    }

    /** Tries to publish and returns the code of the refusal; fails the test if the publish was accepted. */
    String publishRefusal(int port, String streamId) {
        return refusal(connect(port).publish(streamId));
    }

    /** Plays {@code live/streamId}, counting the frames that arrive. */
    AtomicLong play(int port, String streamId) {
        AtomicLong frames = new AtomicLong();
        await(connect(port).play(streamId, frame -> frames.incrementAndGet()));
        return frames;
    }

    String playRefusal(int port, String streamId) {
        return refusal(connect(port).play(streamId, new PlayListener() {
            @Override
            public void onFrame(Frame frame) {
            }
        }));
    }

    private static Frame picture(boolean key) {
        ByteBuf b = Unpooled.buffer(5 + 4 + 100);
        b.writeByte(key ? 0x17 : 0x27).writeByte(1).writeMedium(0).writeInt(100).writeZero(100);
        return FlvFrames.video(0, b);
    }

    private static String refusal(CompletableFuture<?> attempt) {
        try {
            Object accepted = attempt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a refusal, but the server accepted: " + accepted);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RtmpStatusException refused) {
                return refused.code();
            }
            throw new AssertionError("refused without a status: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("RTMP request failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no RTMP answer within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        feeder.shutdownNow();
        sessions.forEach(RtmpSession::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
