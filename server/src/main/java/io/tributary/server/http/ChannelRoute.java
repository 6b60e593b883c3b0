package io.tributary.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Requests answered on the connection itself rather than through the {@link Router}: media that is
 * written as it is made, or that waits for the next part. Runs on the connection's event loop and must
 * not block it; the request is released when {@link #serve} returns (copy what an answer given later needs).
 */
public interface ChannelRoute {

    boolean handles(HttpMethod method, String rawPath);

    /** What a connection this route answered is counted as in the metrics ({@code hls}). */
    String use();

    void serve(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri);
}
