package io.tributary.server.broadcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.media.Frame;
import io.tributary.rtmp.client.PlayListener;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpPublication;
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

/**
 * RTMP publishers and players made with the project's own client, for tests that need a stream live or
 * watched, or the exact status code of a refusal. Closing it closes every connection it opened.
 */
final class TestRtmp implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final RtmpClient client = new RtmpClient(group, NioSocketChannel.class);
    private final List<RtmpSession> sessions = new CopyOnWriteArrayList<>();

    /** A publishing connection. */
    record Publishing(RtmpSession session, RtmpPublication publication) {
    }

    RtmpSession connect(TestNode node, String app) {
        RtmpSession session = await(client.connect(RtmpUrl.parse(node.rtmpUrl(app, "x")), TIMEOUT));
        sessions.add(session);
        return session;
    }

    /** Publishes {@code live/streamId}; returns once the server said NetStream.Publish.Start. */
    Publishing publish(TestNode node, String streamId) {
        RtmpSession session = connect(node, "live");
        return new Publishing(session, await(session.publish(streamId)));
    }

    /** Tries to publish and returns the code of the server's refusal; fails the test if it was accepted. */
    String publishRefusal(TestNode node, String streamId) {
        RtmpSession session = connect(node, "live");
        return refusal(session.publish(streamId));
    }

    /** A playing connection and every onStatus code its stream received, in order. */
    record Playing(RtmpSession session, List<String> statuses) {
    }

    /** Plays {@code live/streamId}; returns once the server said NetStream.Play.Start. */
    Playing play(TestNode node, String streamId) {
        RtmpSession session = connect(node, "live");
        List<String> statuses = new CopyOnWriteArrayList<>();
        await(session.play(streamId, new PlayListener() {
            @Override
            public void onFrame(Frame frame) {
            }

            @Override
            public void onStatus(String code, io.tributary.media.amf.AmfObject info) {
                statuses.add(code);
            }
        }));
        return new Playing(session, statuses);
    }

    /** Tries to play and returns the code of the server's refusal. */
    String playRefusal(TestNode node, String streamId) {
        RtmpSession session = connect(node, "live");
        return refusal(session.play(streamId, ignoring()));
    }

    /** Waits for the session's connection to close, as a user's encoder notices a kick. */
    static void awaitClosed(RtmpSession session) {
        await(session.closeFuture());
    }

    private static String refusal(CompletableFuture<?> attempt) {
        try {
            Object accepted = attempt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a refusal, but the server accepted: " + accepted);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(RtmpStatusException.class);
            return ((RtmpStatusException) e.getCause()).code();
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

    private static PlayListener ignoring() {
        return frame -> {
        };
    }

    @Override
    public void close() {
        for (RtmpSession s : sessions) {
            s.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
