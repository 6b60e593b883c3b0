package io.tributary.server.lb;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.ProtocolDetectionState;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.tributary.media.Addresses;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the first bytes of a connection: a PROXY protocol header (found by its signature, which no
 * RTMP handshake, HTTP request or TLS hello starts with) is handed to Netty's decoder when the peer is a
 * trusted proxy, and closes the connection when it is not. Anything else goes on untouched, unless a
 * trusted proxy was required to send a header. Either way this handler then leaves the pipeline.
 */
final class ProxyProtocolDetector extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(ProxyProtocolDetector.class);
    private static final byte V1_FIRST = 'P';
    private static final byte V2_FIRST = 0x0D;

    private final ProxyProtocol settings;

    ProxyProtocolDetector(ProxyProtocol settings) {
        this.settings = settings;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        byte first = in.getByte(in.readerIndex());
        boolean header = false;
        if (first == V1_FIRST || first == V2_FIRST) {
            ProtocolDetectionState state = HAProxyMessageDecoder.detectProtocol(in).state();
            if (state == ProtocolDetectionState.NEEDS_MORE_DATA) {
                return;
            }
            header = state == ProtocolDetectionState.DETECTED;
        }
        boolean trusted = settings.proxies().trusts(ctx.channel().remoteAddress());
        if (header && !trusted) {
            refuse(ctx, in, "it sent a PROXY protocol header but is not a trusted proxy (server.trustedProxies)");
        } else if (!header && trusted && settings.required()) {
            refuse(ctx, in, "a trusted proxy must start with a PROXY protocol header (rtmp.requireProxyProtocol)"
                    + " and this connection did not");
        } else if (header) {
            String name = ctx.name();
            ctx.pipeline().addAfter(name, name + "-header", new ProxyHeaderReader(settings));
            ctx.pipeline().addAfter(name, name + "-decoder", new HAProxyMessageDecoder());
            // What this decoder has buffered goes on to the header decoder as it leaves.
            ctx.pipeline().remove(this);
        } else {
            ctx.pipeline().remove(this);
        }
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, String why) {
        log.warn("closing {} connection from {}: {}", settings.listener(),
                Addresses.format(ctx.channel().remoteAddress()), why);
        in.skipBytes(in.readableBytes());
        ctx.close();
    }
}
