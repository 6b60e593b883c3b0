package io.tributary.media.stream;

import static io.tributary.media.stream.StreamFixtures.ENCODER;
import static io.tributary.media.stream.StreamFixtures.PATH;
import static io.tributary.media.stream.StreamFixtures.WAIT;
import static io.tributary.media.stream.StreamFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.tributary.media.Frame;
import io.tributary.media.stream.StreamFixtures.Feed;
import io.tributary.media.stream.StreamFixtures.Player;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two players of one stream over real loopback TCP connections: one client reads, the other never does,
 * so its socket buffers fill and its channel stays unwritable.
 */
class ChannelSubscriberSocketTest {
    private static final int FRAMES = 1_500;      // 60 s of video at 25 fps
    private static final int FRAME_BYTES = 2_000;
    private static final int GOP_FRAMES = 25;     // a keyframe every second

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final EventLoopGroup serverLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final StreamSettings settings = settings(Duration.ofSeconds(30), 1 << 20, Duration.ofSeconds(1), 3);
    private final StreamRegistry registry = new StreamRegistry(settings, scheduler);
    private final BlockingQueue<SocketChannel> accepted = new LinkedBlockingQueue<>();
    private final List<Channel> channels = new ArrayList<>();
    private final Feed feed = new Feed(FRAME_BYTES);
    private InetSocketAddress address;

    @AfterEach
    void tearDown() {
        registry.endAll("test over");
        for (Channel ch : channels) {
            ch.close().syncUninterruptibly();
        }
        serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
    }

    @Test
    void aStalledPlayerIsSkippedThenClosedWhileAPlayerThatReadsGetsEveryFrame() throws Exception {
        listen();
        Publisher publisher = registry.publish(PATH, "rtmp", ENCODER, reason -> { });
        LiveStream stream = publisher.stream();
        AtomicLong slowReceived = new AtomicLong();
        AtomicLong normalReceived = new AtomicLong();
        Player slow = connectPlayer(false, slowReceived, new WriteBufferWaterMark(4 << 10, 8 << 10), stream);
        Player normal = connectPlayer(true, normalReceived, new WriteBufferWaterMark(8 << 20, 16 << 20), stream);

        long bytesSent = 0;
        Frame config = feed.videoConfig(0);
        bytesSent += config.size();
        publisher.send(config);
        for (int i = 0; i < FRAMES; i++) {
            Frame f = i % GOP_FRAMES == 0 ? feed.key(i * 40L) : feed.inter(i * 40L);
            bytesSent += f.size();
            publisher.send(f);
        }

        await().atMost(WAIT).until(() -> !slow.channel.isActive());
        assertThat(onLoop(slow, slow::isClosed)).as("the stalled player is closed").isTrue();
        assertThat(onLoop(slow, slow::framesDropped)).isPositive();
        List<Integer> slowSeqs = slow.writtenSeqs();
        for (int k = 1; k < slowSeqs.size(); k++) {
            if (slowSeqs.get(k) != slowSeqs.get(k - 1) + 1) {
                assertThat(slowSeqs.get(k) % GOP_FRAMES).as("after a skip #%d", slowSeqs.get(k)).isZero();
            }
        }

        long expected = bytesSent;
        await().atMost(WAIT).until(() -> normalReceived.get() == expected);
        assertThat(normal.writtenSeqs()).isEqualTo(IntStream.range(0, FRAMES).boxed().toList());
        assertThat(onLoop(normal, normal::framesDropped)).isZero();
        assertThat(onLoop(normal, normal::isClosed)).isFalse();
        assertThat(normal.written().get(1).timestamp()).isZero();
        assertThat(normal.written().get(FRAMES).timestamp()).isEqualTo((FRAMES - 1) * 40L);
        assertThat(stream.viewers("flv")).isEqualTo(1);

        stream.end("test over");
        await().atMost(WAIT).until(() -> !normal.channel.isActive());
        assertThat(normal.ended()).isTrue();
        feed.awaitAllReleased();
    }

    private void listen() {
        Channel server = new ServerBootstrap()
                .group(serverLoops)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.SO_SNDBUF, 8 << 10)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        accepted.add(ch);
                    }
                })
                .bind(InetAddress.getLoopbackAddress(), 0).syncUninterruptibly().channel();
        channels.add(server);
        address = (InetSocketAddress) server.localAddress();
    }

    /** Connects a client and subscribes a player on the server side of that connection. */
    private Player connectPlayer(boolean reads, AtomicLong received, WriteBufferWaterMark waterMark,
                                 LiveStream stream) throws InterruptedException {
        Channel client = new Bootstrap()
                .group(clientLoops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.SO_RCVBUF, 8 << 10)
                .option(ChannelOption.AUTO_READ, reads)
                .handler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        received.addAndGet(((ByteBuf) msg).readableBytes());
                        ReferenceCountUtil.release(msg);
                    }
                })
                .connect(address).syncUninterruptibly().channel();
        channels.add(client);
        SocketChannel child = accepted.poll(10, TimeUnit.SECONDS);
        assertThat(child).as("accepted connection").isNotNull();
        child.config().setWriteBufferWaterMark(waterMark);
        Player player = new Player(child, settings);
        child.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                player.writabilityChanged();
                ctx.fireChannelWritabilityChanged();
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                player.stop();
                ctx.fireChannelInactive();
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                // Writes still queued when the stalled player is closed fail; that is expected here.
                ctx.close();
            }
        });
        player.subscribeTo(stream);
        await().atMost(WAIT).until(player::started);
        return player;
    }

    /** Player state belongs to its event loop; read it there. */
    private static <T> T onLoop(Player player, Callable<T> read) throws Exception {
        return player.executor().submit(read).get(10, TimeUnit.SECONDS);
    }
}
