package io.tributary.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.stream.PlayGrant;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamRequest;
import io.tributary.media.stream.StreamSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /{app}/{streamId}.flv}: answers with the response head, then turns the connection into a
 * raw FLV byte stream (the HTTP codec leaves the pipeline) fed by an {@link FlvPlayer}. A player that the
 * cluster's redirect decision sends elsewhere gets a {@code 302} to the same path on that node instead.
 */
public final class HttpFlvService {
    private static final Logger log = LoggerFactory.getLogger(HttpFlvService.class);
    private static final String SUFFIX = ".flv";

    private final StreamGateway gateway;
    private final StreamSettings streamSettings;
    private final HttpSettings settings;
    private final Function<StreamPath, Optional<String>> redirect;

    /**
     * @param redirect for a stream, the base URL ({@code http://host:port}) of the node a player should go to
     *     instead of this one, or empty to play here
     */
    public HttpFlvService(StreamGateway gateway, StreamSettings streamSettings, HttpSettings settings,
                          Function<StreamPath, Optional<String>> redirect) {
        this.gateway = gateway;
        this.streamSettings = streamSettings;
        this.settings = settings;
        this.redirect = redirect;
    }

    boolean handles(HttpMethod method, String rawPath) {
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return false;
        }
        String[] seg = Router.split(rawPath);
        return seg.length == 2 && seg[1].endsWith(SUFFIX) && seg[1].length() > SUFFIX.length();
    }

    void play(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        String[] seg = Router.split(uri.rawPath());
        String app = QueryStringDecoder.decodeComponent(seg[0]);
        String file = QueryStringDecoder.decodeComponent(seg[1]);
        String id = file.substring(0, file.length() - SUFFIX.length());
        boolean head = req.method().equals(HttpMethod.HEAD);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        if (!gateway.hasApp(app)) {
            Responses.write(ctx, Response.text(HttpResponseStatus.NOT_FOUND, "No application " + app + "\n"), head,
                    keepAlive, settings.corsAllowOrigin());
            return;
        }
        Optional<String> elsewhere = redirect.apply(new StreamPath(app, id));
        if (elsewhere.isPresent()) {
            // This node is loaded or draining and another takes the player: same path and query there.
            String query = uri.rawQuery();
            Responses.write(ctx, Response.text(HttpResponseStatus.FOUND, "Play this stream on another node\n")
                    .withHeader("Location", elsewhere.get() + uri.rawPath() + (query.isEmpty() ? "" : "?" + query)),
                    head, keepAlive, settings.corsAllowOrigin());
            return;
        }
        StreamRequest request = new StreamRequest(new StreamPath(app, id), params(uri), HttpServer.clientAddress(ctx.channel()),
                "flv");
        gateway.play(request).whenCompleteAsync((grant, error) -> {
            if (error != null) {
                StreamException e = unwrap(error);
                log.info("play refused {} flv to {}: {}", request.path(), Addresses.format(HttpServer.clientAddress(ctx.channel())),
                        e.getMessage());
                Responses.write(ctx, Response.text(status(e.reason()), e.getMessage() + "\n"), head, keepAlive,
                        settings.corsAllowOrigin());
            } else if (ctx.channel().isActive()) {
                start(ctx, grant, request.path(), head);
            }
        }, ctx.executor());
    }

    private void start(ChannelHandlerContext ctx, PlayGrant grant, StreamPath path, boolean head) {
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        res.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, settings.corsAllowOrigin());
        if (head) {
            ctx.write(res);
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.write(res);
        FlvPlayer player = new FlvPlayer(ctx.channel(), streamSettings, path);
        player.countAsViewer(grant.viewer());
        var pipeline = ctx.pipeline();
        // A player sends nothing while it watches; the idle timeout is for connections that wait for nothing.
        pipeline.remove(HttpServer.IDLE);
        pipeline.remove(HttpServer.AGGREGATOR);
        pipeline.replace(HttpServer.HANDLER, HttpServer.HANDLER, new FlvConnection(player));
        pipeline.remove(HttpServer.CODEC);
        try {
            player.bind(grant.stream().subscribe(player));
            log.info("play start {} flv to {}", path, Addresses.format(HttpServer.clientAddress(ctx.channel())));
        } catch (StreamException e) {
            ctx.close();
        }
    }

    private static Map<String, String> params(QueryStringDecoder uri) {
        Map<String, String> params = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : uri.parameters().entrySet()) {
            if (!e.getValue().isEmpty()) {
                params.put(e.getKey(), e.getValue().get(0));
            }
        }
        return params;
    }

    static HttpResponseStatus status(StreamException.Reason reason) {
        return switch (reason) {
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case INVALID_NAME -> HttpResponseStatus.BAD_REQUEST;
            case UNAUTHORIZED -> HttpResponseStatus.UNAUTHORIZED;
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case BUSY -> HttpResponseStatus.CONFLICT;
            case UNAVAILABLE -> HttpResponseStatus.SERVICE_UNAVAILABLE;
        };
    }

    private static StreamException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof StreamException se ? se
                : new StreamException(StreamException.Reason.UNAVAILABLE, "Internal error: " + cause.getMessage());
    }
}
