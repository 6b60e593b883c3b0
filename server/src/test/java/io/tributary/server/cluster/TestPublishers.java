package io.tributary.server.cluster;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpStatusException;
import io.tributary.rtmp.client.RtmpUrl;
import io.tributary.server.testing.TestNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Encoders made with the project's RTMP client. Closing it disconnects every one of them. */
final class TestPublishers implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final RtmpClient client = new RtmpClient(group, NioSocketChannel.class);
    private final List<RtmpSession> sessions = new CopyOnWriteArrayList<>();

    private RtmpSession connect(TestNode node, String app) {
        RtmpSession session = await(client.connect(RtmpUrl.parse(node.rtmpUrl(app, "x")), TIMEOUT));
        sessions.add(session);
        return session;
    }

    /** Publishes {@code live/streamId}; returns once the node said NetStream.Publish.Start. */
    RtmpSession publish(TestNode node, String streamId) {
        RtmpSession session = connect(node, "live");
        await(session.publish(streamId));
        return session;
    }

    /** Tries to publish {@code live/streamId} and returns the status code the node refused it with. */
    String refusal(TestNode node, String streamId) {
        RtmpSession session = connect(node, "live");
        try {
            Object accepted = session.publish(streamId).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a refusal, but the node accepted: " + accepted);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RtmpStatusException refused) {
                return refused.code();
            }
            throw new AssertionError("publish failed without a status: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <T> T await(CompletableFuture<T> f) {
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
        sessions.forEach(RtmpSession::close);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
