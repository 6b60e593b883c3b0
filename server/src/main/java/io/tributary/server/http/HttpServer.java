package io.tributary.server.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.tributary.server.conference.ConferenceService;
import io.tributary.server.lb.TrustedProxies;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP listener: media (HTTP-FLV), the REST API and health on one port. */
public final class HttpServer {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    static final String IDLE = "idle";
    static final String CODEC = "codec";
    static final String AGGREGATOR = "aggregator";
    static final String HANDLER = "handler";
    /** The client a trusted proxy named for a connection with a PROXY protocol header. */
    public static final AttributeKey<InetSocketAddress> PROXIED_CLIENT = AttributeKey.valueOf("http.proxiedClient");
    /** The client of the latest request on a connection, trusted proxies' headers applied. */
    static final AttributeKey<SocketAddress> REQUEST_CLIENT = AttributeKey.valueOf("http.requestClient");
    /** What a connection's latest request was for (see {@link #connectionsByUse()}). */
    static final AttributeKey<String> USE = AttributeKey.valueOf("http.use");
    /** A connection that has asked for nothing yet, or for the REST API, health or metrics. */
    public static final String USE_API = "http";
    public static final String USE_FLV = "http_flv";
    public static final String USE_WEBSOCKET = "websocket";

    private final HttpSettings settings;
    private final Router router;
    private final HttpFlvService flv;
    private final ConferenceService conference;
    private final List<ChannelRoute> routes = new CopyOnWriteArrayList<>();
    private final Executor apiExecutor;
    private final ChannelGroup connections = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private Channel listener;
    private Supplier<ChannelHandler> tls;
    private TrustedProxies proxies = TrustedProxies.none();
    private Supplier<ChannelHandler> proxyProtocol;
    private AccessGate gate = AccessGate.OPEN;

    public HttpServer(HttpSettings settings, Router router, HttpFlvService flv, ConferenceService conference,
                      Executor apiExecutor) {
        this.settings = settings;
        this.router = router;
        this.flv = flv;
        this.conference = conference;
        this.apiExecutor = apiExecutor;
    }

    /** Adds requests answered on the connection itself (HLS, DASH). Call before bind. */
    public void addRoute(ChannelRoute route) {
        routes.add(route);
    }

    /**
     * Accepts TLS on the port as well as plain HTTP (nodes talk HTTPS to each other, players keep plain
     * HTTP); {@code handlers} gives each connection its own TLS-or-plain detector. Call before bind.
     */
    public void acceptTls(Supplier<ChannelHandler> handlers) {
        this.tls = handlers;
    }

    /**
     * Believes {@code X-Forwarded-For} from {@code proxies}, and puts a PROXY protocol detector made by
     * {@code proxyProtocol} first in every connection's pipeline (it sets {@link #PROXIED_CLIENT}). Call
     * before bind.
     */
    public void trustProxies(TrustedProxies proxies, Supplier<ChannelHandler> proxyProtocol) {
        this.proxies = proxies;
        this.proxyProtocol = proxyProtocol;
    }

    /** Puts {@code gate} in front of every route of the router (not HTTP-FLV, HLS or WebSocket). Call before bind. */
    public void guard(AccessGate gate) {
        this.gate = gate;
    }

    /**
     * The client of the request being answered on {@code channel} (for handlers that take the connection
     * over, such as HTTP-FLV): as {@link Request#client()} gives it, or the peer.
     */
    public static SocketAddress clientAddress(Channel channel) {
        SocketAddress client = channel.attr(REQUEST_CLIENT).get();
        return client != null ? client : channel.remoteAddress();
    }

    public void bind(EventLoopGroup boss, EventLoopGroup workers, Class<? extends ServerChannel> channelType,
                     String host, int port) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(IDLE, new IdleStateHandler(settings.idleTimeout().toMillis(), 0, 0,
                                        TimeUnit.MILLISECONDS))
                                .addLast(CODEC, new HttpServerCodec())
                                .addLast(AGGREGATOR, new RequestAggregator(settings))
                                .addLast(HANDLER, new HttpHandler(settings, router, flv, routes, conference, apiExecutor,
                                        proxies, gate));
                        if (tls != null) {
                            ch.pipeline().addFirst("tls", tls.get());
                        }
                        if (proxyProtocol != null) {
                            // A proxy's PROXY header comes before everything, TLS included.
                            ch.pipeline().addFirst("proxyProtocol", proxyProtocol.get());
                        }
                        connections.add(ch);
                    }
                });
        listener = b.bind(host, port).sync().channel();
        log.info("HTTP listening on {}:{}", host, port());
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Open connections by what their latest request was for: {@code http} (API, health, metrics, or nothing
     * yet), {@code http_flv}, {@code websocket}, or the {@link ChannelRoute#use()} of a channel route
     * ({@code hls}). Counted when asked (for metrics), from a mark each request leaves on its connection.
     */
    public Map<String, Integer> connectionsByUse() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Channel ch : connections) {
            String use = ch.attr(USE).get();
            counts.merge(use == null ? USE_API : use, 1, Integer::sum);
        }
        return counts;
    }

    public void closeListener() {
        if (listener != null) {
            listener.close().syncUninterruptibly();
        }
    }

    /** Closes every connection (HTTP-FLV players have had their end of stream by then). */
    public void closeConnections(Duration timeout) {
        for (Channel ch : connections) {
            if (ch.pipeline().get(WebSocketServerProtocolHandler.class) != null) {
                // WebSocket clients get "going away" (1001) rather than a dropped connection (1006).
                ch.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE,
                        "The server is shutting down.")).addListener(ChannelFutureListener.CLOSE);
            }
        }
        connections.close().awaitUninterruptibly(timeout.toMillis());
    }
}
