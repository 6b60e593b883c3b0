package io.tributary.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Collects request bodies up to the limit; an oversized request gets the API's own 413 (JSON, with the
 * CORS header a browser needs to read it) and the connection is closed, since the rest of that body
 * would otherwise have to be read and thrown away.
 */
final class RequestAggregator extends HttpObjectAggregator {
    private final HttpSettings settings;

    RequestAggregator(HttpSettings settings) {
        super(settings.maxRequestSize());
        this.settings = settings;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        Responses.write(ctx, Response.error(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                "Request body larger than " + settings.maxRequestSize() + " bytes."), false, false,
                settings.corsAllowOrigin());
    }
}
