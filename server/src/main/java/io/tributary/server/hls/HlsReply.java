package io.tributary.server.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.EventExecutor;
import io.tributary.media.Addresses;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamRequest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * One answer to an HLS or DASH request, written on the request's connection with the headers every such
 * answer carries (type, length, Cache-Control, CORS, keep-alive or close); {@code HEAD} gets the headers
 * alone.
 */
final class HlsReply {
    private static final Logger log = LoggerFactory.getLogger(HlsReply.class);
    private final ChannelHandlerContext ctx;
    private final boolean head;
    private final boolean keepAlive;
    private final String corsOrigin;
    private final LongAdder sentBytes;

    /** @param sentBytes where the body bytes of every answer are added up (the node's HLS egress) */
    HlsReply(ChannelHandlerContext ctx, boolean head, boolean keepAlive, String corsOrigin, LongAdder sentBytes) {
        this.ctx = ctx;
        this.head = head;
        this.keepAlive = keepAlive;
        this.corsOrigin = corsOrigin;
        this.sentBytes = sentBytes;
    }

    /** The connection's event loop, where the answer is written. */
    EventExecutor executor() {
        return ctx.executor();
    }

    void text(HttpResponseStatus status, String message) {
        bytes(status, "text/plain; charset=utf-8", "no-cache",
                Unpooled.wrappedBuffer((message + "\n").getBytes(StandardCharsets.UTF_8)));
    }

    /** The stream could not be played here: the status its reason calls for, with its message. */
    void refused(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        StreamException refused = cause instanceof StreamException s ? s
                : new StreamException(StreamException.Reason.UNAVAILABLE, "Internal error: " + cause.getMessage());
        text(status(refused), refused.getMessage());
    }

    /**
     * Runs {@code then} with the access decision on the connection's event loop (at once when it is already
     * made, as it is for an open application or a session), or answers (and logs) the refusal.
     */
    void whenAllowed(CompletableFuture<HlsAccess.Grant> decision, StreamRequest request,
                     Consumer<HlsAccess.Grant> then) {
        if (decision.isDone() && !decision.isCompletedExceptionally() && ctx.executor().inEventLoop()) {
            then.accept(decision.join());
            return;
        }
        decision.whenCompleteAsync((grant, error) -> {
            if (error != null) {
                log.info("play refused {} hls to {}: {}", request.path(), Addresses.format(request.remote()),
                        (error.getCause() != null ? error.getCause() : error).getMessage());
                refused(error);
            } else {
                then.accept(grant);
            }
        }, ctx.executor());
    }

    /** What the request waited for did not come: 503. */
    void timedOut(Throwable error, String what) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        text(HttpResponseStatus.SERVICE_UNAVAILABLE, cause instanceof TimeoutException
                ? "Timed out waiting for " + what + " (" + cause.getMessage() + ")." : "Failed: " + cause.getMessage());
    }

    void redirect(String location) {
        redirect(location, "Play this stream on another node");
    }

    /** A {@code 302 Found} to {@code location} (absolute, or relative to the request's URL). */
    void redirect(String location, String message) {
        FullHttpResponse res = response(HttpResponseStatus.FOUND, Unpooled.wrappedBuffer(
                (message + "\n").getBytes(StandardCharsets.UTF_8)), "text/plain; charset=utf-8", "no-cache");
        res.headers().set(HttpHeaderNames.LOCATION, location);
        send(res);
    }

    void bytes(HttpResponseStatus status, String type, String cache, ByteBuf body) {
        send(response(status, body, type, cache));
    }

    private static HttpResponseStatus status(StreamException e) {
        return switch (e.reason()) {
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case INVALID_NAME -> HttpResponseStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpResponseStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case BUSY -> HttpResponseStatus.CONFLICT;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
        };
    }

    private FullHttpResponse response(HttpResponseStatus status, ByteBuf body, String type, String cache) {
        int length = body.readableBytes();
        if (!head) {
            sentBytes.add(length);
        }
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? releaseAndEmpty(body) : body);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, cache);
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, corsOrigin);
        return res;
    }

    private static ByteBuf releaseAndEmpty(ByteBuf body) {
        body.release();
        return Unpooled.EMPTY_BUFFER;
    }

    private void send(FullHttpResponse res) {
        if (!ctx.channel().isActive()) {
            res.release();
            return;
        }
        if (keepAlive) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(res);
        } else {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
