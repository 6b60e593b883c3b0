package io.tributary.rtmp.command;

import io.netty.channel.ChannelHandlerContext;
import io.tributary.rtmp.chunk.ChunkDecoder;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;

/**
 * The protocol control both ends of an RTMP connection owe each other: acknowledging received bytes
 * every window (the peer's announced window, or our own until it announces one) and answering pings.
 */
public final class PeerControl {
    private final ChunkDecoder decoder;
    private long ackWindow;
    private long lastAck;

    public PeerControl(ChunkDecoder decoder, long initialWindow) {
        this.decoder = decoder;
        this.ackWindow = initialWindow;
    }

    /** Handles a Window Acknowledgement Size or a ping; returns false for any other message. */
    public boolean handle(ChannelHandlerContext ctx, RtmpMessage m) {
        var p = m.payload();
        if (m.typeId() == MessageType.WINDOW_ACK_SIZE && p.readableBytes() >= 4) {
            ackWindow = Math.max(1, p.getUnsignedInt(p.readerIndex()));
            return true;
        }
        if (m.typeId() == MessageType.USER_CONTROL) {
            if (p.readableBytes() >= 6 && p.getUnsignedShort(p.readerIndex()) == ControlMessages.EVENT_PING_REQUEST) {
                ctx.writeAndFlush(ControlMessages.userControl(ctx.alloc(), ControlMessages.EVENT_PING_RESPONSE,
                        p.getInt(p.readerIndex() + 2)));
            }
            return true;
        }
        return false;
    }

    /** Call at the end of each read: sends an Acknowledgement when a window's worth has arrived. */
    public void readComplete(ChannelHandlerContext ctx) {
        if (decoder != null && decoder.bytesRead() - lastAck >= ackWindow) {
            lastAck = decoder.bytesRead();
            ctx.writeAndFlush(ControlMessages.acknowledgement(ctx.alloc(), lastAck));
        }
    }
}
