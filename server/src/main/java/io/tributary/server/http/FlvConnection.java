package io.tributary.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.tributary.media.Addresses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What is left of an HTTP connection once it streams FLV: it ignores input and follows the socket's state. */
final class FlvConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FlvConnection.class);

    private final FlvPlayer player;

    FlvConnection(FlvPlayer player) {
        this.player = player;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        player.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        player.stop();
        log.info("play stop {} flv to {}: {} frames, {} bytes, {} dropped", player.path(),
                Addresses.format(HttpServer.clientAddress(ctx.channel())), player.framesSent(), player.bytesSent(), player.framesDropped());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP-FLV connection to {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
