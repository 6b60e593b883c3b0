package io.tributary.cluster.comm;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A Netty server on a free port whose pipeline is a cluster TLS handler followed by the smallest HTTP
 * responder that answers every request 200 "ok" (the cluster module has no HTTP codec), with an
 * {@code X-Tls} header saying whether the request came over TLS.
 */
final class TestHttpServer implements AutoCloseable {

    private final EventLoopGroup group;
    private final Channel channel;

    private TestHttpServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    static TestHttpServer start(String host, Supplier<ChannelHandler> tlsHandler) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tlsHandler.get(), new OkResponder());
                        }
                    })
                    .bind(host, 0).sync().channel();
            return new TestHttpServer(group, channel);
        } catch (RuntimeException | InterruptedException e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** Reads up to the end of the request head, answers, and closes. */
    private static final class OkResponder extends ChannelInboundHandlerAdapter {
        private final StringBuilder head = new StringBuilder();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf bytes = (ByteBuf) msg;
            try {
                head.append(bytes.toString(StandardCharsets.ISO_8859_1));
            } finally {
                bytes.release();
            }
            if (head.indexOf("\r\n\r\n") >= 0) {
                boolean tls = ctx.pipeline().get(SslHandler.class) != null;
                String response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nX-Tls: " + tls
                        + "\r\nConnection: close\r\n\r\nok";
                ctx.writeAndFlush(Unpooled.copiedBuffer(response, StandardCharsets.ISO_8859_1))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
