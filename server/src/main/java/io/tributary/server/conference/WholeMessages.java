package io.tributary.server.conference;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * Joins a fragmented message into one frame, so rooms only ever see whole messages. The size limit is
 * the same as for a single frame, and going over it ends the connection the same way: close status 1009.
 */
final class WholeMessages extends WebSocketFrameAggregator {
    private final int maxBytes;

    WholeMessages(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, WebSocketFrame oversized) {
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG,
                "Max message length of " + maxBytes + " has been exceeded."))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
