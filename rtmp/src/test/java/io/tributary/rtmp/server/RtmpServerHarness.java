package io.tributary.rtmp.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.tributary.media.stream.StreamRegistry;
import io.tributary.media.stream.StreamSettings;
import io.tributary.rtmp.client.RtmpClient;
import io.tributary.rtmp.client.RtmpSession;
import io.tributary.rtmp.client.RtmpUrl;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A real RTMP server on a free loopback port, a registry behind it, and a client to talk to it. */
final class RtmpServerHarness implements AutoCloseable {
    final EventLoopGroup serverLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    final StreamRegistry registry;
    final RtmpServer server;
    final RtmpClient client = new RtmpClient(clientLoops, NioSocketChannel.class);
    private final List<RtmpSession> sessions = new ArrayList<>();

    RtmpServerHarness() throws InterruptedException {
        this(StreamSettings.defaults(), RtmpServerSettings.defaults());
    }

    RtmpServerHarness(StreamSettings streamSettings, RtmpServerSettings settings) throws InterruptedException {
        registry = new StreamRegistry(streamSettings, timers);
        server = new RtmpServer(settings, streamSettings, new RegistryGateway(registry));
        server.bind(serverLoops, serverLoops, NioServerSocketChannel.class, "127.0.0.1", 0);
    }

    int port() {
        return server.port();
    }

    RtmpUrl url(String path) {
        return RtmpUrl.parse("rtmp://127.0.0.1:" + port() + "/" + path);
    }

    /** A connected session that is closed with the harness. */
    RtmpSession connect(String app) throws Exception {
        RtmpSession s = client.connect(url(app), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS);
        sessions.add(s);
        return s;
    }

    @Override
    public void close() {
        sessions.forEach(RtmpSession::close);
        server.closeListener();
        registry.endAll("test over");
        clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        serverLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        timers.shutdownNow();
    }
}
