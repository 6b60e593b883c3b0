package io.tributary.rtmp.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamSettings;
import io.tributary.rtmp.chunk.ChunkDecoder;
import io.tributary.rtmp.chunk.ChunkEncoder;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.handshake.ServerHandshakeHandler;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RTMP listener: accepts encoders and players and hands each connection its pipeline. */
public final class RtmpServer {
    private static final Logger log = LoggerFactory.getLogger(RtmpServer.class);
    /** The client a trusted proxy named for a connection (PROXY protocol); unset when it came directly. */
    public static final AttributeKey<InetSocketAddress> CLIENT_ADDRESS = AttributeKey.valueOf("rtmp.clientAddress");
    /** The first of the RTMP handlers in a connection's pipeline (only PROXY protocol or TLS come before it). */
    static final String FIRST_HANDLER = "idle";

    private final RtmpServerSettings settings;
    private final StreamSettings streamSettings;
    private final StreamGateway gateway;
    private final ChannelGroup connections = new DefaultChannelGroup("rtmp", GlobalEventExecutor.INSTANCE);
    private Channel listener;
    private volatile boolean stopping;
    private Supplier<ChannelHandler> front;

    public RtmpServer(RtmpServerSettings settings, StreamSettings streamSettings, StreamGateway gateway) {
        this.settings = settings;
        this.streamSettings = streamSettings;
        this.gateway = gateway;
    }

    /**
     * Puts a handler made by {@code handlers} first in every connection's pipeline, before the handshake:
     * the PROXY protocol detector, which sets {@link #CLIENT_ADDRESS}. Call before bind.
     */
    public void acceptProxyProtocol(Supplier<ChannelHandler> handlers) {
        this.front = handlers;
    }

    /** The client's address: the one a trusted proxy gave, or the peer's. */
    static SocketAddress clientAddress(Channel channel) {
        InetSocketAddress proxied = channel.attr(CLIENT_ADDRESS).get();
        return proxied != null ? proxied : channel.remoteAddress();
    }

    /** Binds the listener; returns once it accepts connections. */
    public void bind(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType,
                     String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChunkWriter writer = new ChunkWriter();
                        ch.pipeline()
                                .addLast(FIRST_HANDLER, new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast("handshake", new ServerHandshakeHandler())
                                .addLast("chunkDecoder", new ChunkDecoder(settings.maxMessageSize(),
                                        RtmpServerSettings.MAX_CHUNK_STREAMS))
                                .addLast("chunkEncoder", new ChunkEncoder(writer))
                                .addLast("connection", new ServerConnection(gateway, streamSettings, settings, writer,
                                        () -> stopping));
                        if (front != null) {
                            ch.pipeline().addFirst("proxyProtocol", front.get());
                        }
                        connections.add(ch);
                    }
                });
        ChannelFuture f = b.bind(host, port).sync();
        listener = f.channel();
        log.info("RTMP listening on {}:{}", host, port());
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Stops accepting connections; current ones carry on, but from now on a publisher the node
     * disconnects is told the server is shutting down (NetConnection.Connect.AppShutdown).
     */
    public void closeListener() {
        stopping = true;
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }

    public int connectionCount() {
        return connections.size();
    }

    /** Tells every client the server is going away and closes it, waiting at most {@code timeout}. */
    public void closeConnections(String reason, Duration timeout) {
        for (Channel ch : connections) {
            ServerConnection c = ch.pipeline().get(ServerConnection.class);
            if (c != null) {
                ch.eventLoop().execute(() -> c.shutdown(reason));
            } else {
                ch.close();
            }
        }
        if (!connections.newCloseFuture().awaitUninterruptibly(timeout.toMillis())) {
            log.warn("{} RTMP connections did not close within {} ms; forcing them", connections.size(),
                    timeout.toMillis());
            connections.close().awaitUninterruptibly(1000);
        }
    }
}
