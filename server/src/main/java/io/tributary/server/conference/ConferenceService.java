package io.tributary.server.conference;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.tributary.server.http.Response;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code GET /{app}/websocket}: checks the upgrade request, then turns the HTTP connection into a
 * conference participant. Netty's WebSocket protocol handler does the handshake and answers ping and
 * close; {@link WholeMessages} and a {@link ParticipantHandler} follow it. The HTTP handlers leave the
 * pipeline, and so does the idle timeout: a participant may listen in silence for as long as it likes.
 */
public final class ConferenceService {
    /** The largest message a participant may send, in one frame or several; more closes with 1009. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;
    private static final String ENDPOINT = "websocket";
    private static final String WEBSOCKET_VERSION = "13";
    private static final String VIOLATIONS = "frameViolations";
    private static final String PROTOCOL = "websocket";
    private static final String MESSAGES = "messages";
    private static final String PARTICIPANT = "participant";

    private final Predicate<String> hasApp;
    private final ConferenceRooms rooms;

    /**
     * @param hasApp which application names exist on this node
     */
    public ConferenceService(Predicate<String> hasApp, ConferenceRooms rooms) {
        this.hasApp = hasApp;
        this.rooms = rooms;
    }

    /** Whether the path is {@code /{app}/websocket}, for any app and method: this service answers them all. */
    public boolean handles(String rawPath) {
        String[] seg = segments(rawPath);
        return seg.length == 2 && seg[1].equals(ENDPOINT) && !seg[0].isEmpty();
    }

    /**
     * Upgrades the connection to a WebSocket participant, or returns the answer that refuses it; then the
     * connection is still HTTP and the caller writes the answer.
     */
    public Optional<Response> upgrade(ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder uri) {
        String app = QueryStringDecoder.decodeComponent(segments(uri.rawPath())[0]);
        Optional<Response> refusal = refusal(app, req);
        if (refusal.isPresent()) {
            return refusal;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        // A participant may wait quietly for hours; the idle timeout is for HTTP connections that ask nothing.
        if (pipeline.get(IdleStateHandler.class) != null) {
            pipeline.remove(IdleStateHandler.class);
        }
        // The frame decoder that the handshake puts where the HTTP codec was raises protocol violations
        // here, before the protocol handler (which would close at once): FrameViolations closes cleanly.
        pipeline.addAfter(ctx.name(), VIOLATIONS, new FrameViolations());
        pipeline.addAfter(VIOLATIONS, PROTOCOL, new WebSocketServerProtocolHandler(
                WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(uri.rawPath())
                        // so that a query string after the path still counts as this endpoint
                        .checkStartsWith(true)
                        .decoderConfig(WebSocketDecoderConfig.newBuilder()
                                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                                .closeOnProtocolViolation(false)
                                .build())
                        .build()));
        pipeline.addAfter(PROTOCOL, MESSAGES, new WholeMessages(MAX_MESSAGE_BYTES));
        pipeline.addAfter(MESSAGES, PARTICIPANT, new ParticipantHandler(app, rooms));
        // The protocol handler answers the handshake and swaps the HTTP codec for WebSocket frames; the
        // HTTP handler that called us is done with this connection.
        ctx.fireChannelRead(req.retain());
        pipeline.remove(ctx.handler());
        return Optional.empty();
    }

    private Optional<Response> refusal(String app, FullHttpRequest req) {
        if (!hasApp.test(app)) {
            return Optional.of(Response.error(HttpResponseStatus.NOT_FOUND, "No application " + app + "."));
        }
        HttpMethod method = req.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            return Optional.of(Response.error(HttpResponseStatus.METHOD_NOT_ALLOWED, method + " is not allowed here")
                    .withHeader("Allow", "GET, HEAD, OPTIONS"));
        }
        HttpHeaders headers = req.headers();
        if (method.equals(HttpMethod.HEAD)
                || !headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            return Optional.of(Response.error(HttpResponseStatus.BAD_REQUEST, "/" + app + "/" + ENDPOINT
                    + " is a WebSocket endpoint: connect with a WebSocket client (GET with Upgrade: websocket)."));
        }
        if (!WEBSOCKET_VERSION.equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            return Optional.of(Response.error(HttpResponseStatus.UPGRADE_REQUIRED,
                    "Only WebSocket version " + WEBSOCKET_VERSION + " is supported.")
                    .withHeader(HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), WEBSOCKET_VERSION));
        }
        if (!headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
            return Optional.of(Response.error(HttpResponseStatus.BAD_REQUEST, "The upgrade has no Sec-WebSocket-Key."));
        }
        return Optional.empty();
    }

    /** The raw path's segments, as the router splits them: outer slashes ignored, encoded slashes kept. */
    private static String[] segments(String rawPath) {
        int start = 0;
        int end = rawPath.length();
        while (start < end && rawPath.charAt(start) == '/') {
            start++;
        }
        while (end > start && rawPath.charAt(end - 1) == '/') {
            end--;
        }
        return start == end ? new String[0] : rawPath.substring(start, end).split("/", -1);
    }
}
