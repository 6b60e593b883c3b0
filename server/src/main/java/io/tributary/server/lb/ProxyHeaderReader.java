package io.tributary.server.lb;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProtocolException;
import io.netty.util.NetUtil;
import io.tributary.media.Addresses;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes the decoded PROXY header of a trusted proxy's connection and records the client it names, then
 * leaves the pipeline. A header without addresses (v2 LOCAL, as in a proxy's own health check, or v1
 * UNKNOWN) leaves the peer as the client.
 */
final class ProxyHeaderReader extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderReader.class);

    private final ProxyProtocol settings;

    ProxyHeaderReader(ProxyProtocol settings) {
        this.settings = settings;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof HAProxyMessage header)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            InetSocketAddress client = source(header);
            if (client != null) {
                ctx.channel().attr(settings.clientKey()).set(client);
            }
            log.debug("{} connection from {} is proxied for {}", settings.listener(),
                    Addresses.format(ctx.channel().remoteAddress()), client == null ? "(no address)"
                            : Addresses.format(client));
        } finally {
            header.release();
        }
        ctx.pipeline().remove(this);
    }

    private static InetSocketAddress source(HAProxyMessage header) {
        if (header.sourceAddress() == null) {
            return null;
        }
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof HAProxyProtocolException) {
            log.warn("closing {} connection from {}: invalid PROXY protocol header: {}", settings.listener(),
                    Addresses.format(ctx.channel().remoteAddress()), cause.getMessage());
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
