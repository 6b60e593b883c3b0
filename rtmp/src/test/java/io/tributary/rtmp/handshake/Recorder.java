package io.tributary.rtmp.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * Test handler placed after a handshake handler: records, in order, the user events and the
 * bytes it receives, and can greet the peer once the handshake completes. Thread-safe, so that
 * real-socket tests can poll it.
 */
final class Recorder extends ChannelInboundHandlerAdapter {

    private final List<Object> seen = new ArrayList<>();
    private final byte[] greeting;

    Recorder() {
        this(null);
    }

    Recorder(byte[] greeting) {
        this.greeting = greeting;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        synchronized (seen) {
            seen.add(evt);
        }
        if (evt == HandshakeCompleted.INSTANCE && greeting != null) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(greeting));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        synchronized (seen) {
            seen.add(ByteBufUtil.getBytes(buf));
        }
        buf.release();
    }

    boolean completed() {
        synchronized (seen) {
            return seen.contains(HandshakeCompleted.INSTANCE);
        }
    }

    /** Everything seen, events as themselves and bytes as one hex string per contiguous run. */
    List<Object> seen() {
        List<Object> merged = new ArrayList<>();
        synchronized (seen) {
            StringBuilder run = null;
            for (Object item : seen) {
                if (item instanceof byte[] bytes) {
                    if (run == null) {
                        run = new StringBuilder();
                        merged.add(run);
                    }
                    run.append(ByteBufUtil.hexDump(bytes));
                } else {
                    run = null;
                    merged.add(item);
                }
            }
        }
        merged.replaceAll(item -> item instanceof StringBuilder sb ? sb.toString() : item);
        return merged;
    }
}
