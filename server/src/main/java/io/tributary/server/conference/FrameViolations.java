package io.tributary.server.conference;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.concurrent.TimeUnit;

/**
 * Ends a connection whose frame broke the protocol (a frame over the size limit, a bad opcode) the way
 * RFC 6455 says: a close frame with the status (1009 for a frame too big), then the peer's close. The
 * frame decoder skips everything after the bad frame's header, so the rest of what the peer is still
 * sending is read and dropped; closing at once instead would leave it unread and the kernel would answer
 * with a reset, which the peer sees as 1006 (abnormal closure) rather than the status it was sent. The
 * connection is closed when the peer closes it, or after {@link #CLOSE_WAIT_MS} at the latest.
 */
final class FrameViolations extends ChannelInboundHandlerAdapter {
    static final long CLOSE_WAIT_MS = 2000;
    private boolean closing;

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof CorruptedWebSocketFrameException bad)) {
            ctx.fireExceptionCaught(cause);
            return;
        }
        if (closing) {
            return;
        }
        closing = true;
        WebSocketCloseStatus status = bad.closeStatus() != null ? bad.closeStatus()
                : WebSocketCloseStatus.PROTOCOL_ERROR;
        ctx.writeAndFlush(new CloseWebSocketFrame(status, bad.getMessage()));
        ctx.executor().schedule(() -> ctx.close(), CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
    }
}
