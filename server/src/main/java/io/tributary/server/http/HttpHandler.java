package io.tributary.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.tributary.server.conference.ConferenceService;
import io.tributary.server.lb.TrustedProxies;
import java.net.SocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dispatches each HTTP request: HTTP-FLV plays stay on the connection's event loop; API routes run on
 * the API executor and their answer is written back here. Every answer carries the CORS headers.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(HttpHandler.class);
    private static final String X_FORWARDED_FOR = "X-Forwarded-For";

    private final HttpSettings settings;
    private final Router router;
    private final HttpFlvService flv;
    private final List<ChannelRoute> routes;
    private final ConferenceService conference;
    private final Executor apiExecutor;
    private final TrustedProxies proxies;
    private final AccessGate gate;

    HttpHandler(HttpSettings settings, Router router, HttpFlvService flv, List<ChannelRoute> routes,
                ConferenceService conference, Executor apiExecutor, TrustedProxies proxies, AccessGate gate) {
        this.gate = gate;
        this.settings = settings;
        this.router = router;
        this.flv = flv;
        this.routes = routes;
        this.conference = conference;
        this.apiExecutor = apiExecutor;
        this.proxies = proxies;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            write(ctx, req, Response.text(HttpResponseStatus.BAD_REQUEST, "Malformed HTTP request\n"), false);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        SocketAddress client = client(ctx, req);
        ctx.channel().attr(HttpServer.REQUEST_CLIENT).set(client);
        if (req.method().equals(HttpMethod.OPTIONS)) {
            write(ctx, req, preflight(), HttpUtil.isKeepAlive(req));
            return;
        }
        if (flv.handles(req.method(), uri.rawPath())) {
            ctx.channel().attr(HttpServer.USE).set(HttpServer.USE_FLV);
            flv.play(ctx, req, uri);
            return;
        }
        for (ChannelRoute route : routes) {
            if (route.handles(req.method(), uri.rawPath())) {
                ctx.channel().attr(HttpServer.USE).set(route.use());
                route.serve(ctx, req, uri);
                return;
            }
        }
        if (conference.handles(uri.rawPath())) {
            Optional<Response> refusal = conference.upgrade(ctx, req, uri);
            ctx.channel().attr(HttpServer.USE).set(refusal.isEmpty() ? HttpServer.USE_WEBSOCKET : HttpServer.USE_API);
            refusal.ifPresent(r -> write(ctx, req, r, HttpUtil.isKeepAlive(req)));
            return;
        }
        ctx.channel().attr(HttpServer.USE).set(HttpServer.USE_API);
        AccessGate.Access access = gate.decide(req.method(), uri.rawPath(), req.headers(), client);
        if (!access.allowed()) {
            write(ctx, req, access.refusal(), HttpUtil.isKeepAlive(req));
            return;
        }
        Router.Match match = router.match(req.method(), uri.rawPath());
        if (!match.found()) {
            Response custom = router.miss(uri.path(), match.allowed());
            Response r = custom != null ? custom : match.allowed().isEmpty()
                    ? Response.error(HttpResponseStatus.NOT_FOUND, "No such resource: " + uri.path())
                    : Response.error(HttpResponseStatus.METHOD_NOT_ALLOWED, req.method() + " is not allowed here");
            if (!match.allowed().isEmpty()) {
                r = r.withHeader("Allow", match.allowed().stream().map(HttpMethod::name)
                        .collect(Collectors.joining(", ")));
            }
            write(ctx, req, r, HttpUtil.isKeepAlive(req));
            return;
        }
        Request request = new Request(req, uri, match.params(), ctx.channel().remoteAddress(), client,
                access.principal());
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        req.retain();
        CompletableFuture.supplyAsync(() -> answer(match.handler(), request), apiExecutor)
                .whenCompleteAsync((response, error) -> {
                    try {
                        write(ctx, req, error == null ? response : internalError(error), keepAlive);
                    } finally {
                        req.release();
                    }
                }, ctx.executor());
    }

    /** The peer, or the client its PROXY header named; then, if that is a trusted proxy, X-Forwarded-For. */
    private SocketAddress client(ChannelHandlerContext ctx, FullHttpRequest req) {
        SocketAddress proxied = ctx.channel().attr(HttpServer.PROXIED_CLIENT).get();
        SocketAddress peer = proxied != null ? proxied : ctx.channel().remoteAddress();
        return proxies.client(peer, req.headers().getAll(X_FORWARDED_FOR));
    }

    private static Response answer(Router.Handler handler, Request request) {
        try {
            return handler.handle(request);
        } catch (BadRequestException e) {
            return Response.error(HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (NotFoundException e) {
            return Response.error(HttpResponseStatus.NOT_FOUND, e.getMessage());
        } catch (Exception e) {
            return internalError(e);
        }
    }

    private static Response internalError(Throwable e) {
        log.warn("API request failed", e);
        return Response.error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "Internal error: " + e.getMessage());
    }

    private Response preflight() {
        return new Response(HttpResponseStatus.NO_CONTENT, null, new byte[0], java.util.Map.of(
                "Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, DELETE, OPTIONS",
                "Access-Control-Allow-Headers", "Content-Type, Authorization, X-Api-Key",
                "Access-Control-Max-Age", "86400"));
    }

    private void write(ChannelHandlerContext ctx, FullHttpRequest req, Response r, boolean keepAlive) {
        Responses.write(ctx, r, req.method().equals(HttpMethod.HEAD), keepAlive, settings.corsAllowOrigin());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            log.debug("closing idle HTTP connection from {}", ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("HTTP connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
