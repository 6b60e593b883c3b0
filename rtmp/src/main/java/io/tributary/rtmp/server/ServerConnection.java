package io.tributary.rtmp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.tributary.media.Addresses;
import io.tributary.media.StreamPath;
import io.tributary.media.amf.AmfObject;
import io.tributary.media.amf.Undefined;
import io.tributary.media.stream.LiveStream;
import io.tributary.media.stream.Publisher;
import io.tributary.media.stream.StreamException;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamRequest;
import io.tributary.media.stream.StreamSettings;
import io.tributary.media.stream.Subscription;
import io.tributary.rtmp.chunk.AggregateMessages;
import io.tributary.rtmp.chunk.ChunkDecoder;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import io.tributary.rtmp.chunk.RtmpProtocolException;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import io.tributary.rtmp.command.Status;
import io.tributary.rtmp.command.StreamNames;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP client connection after the handshake: protocol control, the NetConnection and NetStream
 * commands, and the message streams it publishes or plays. Runs on the connection's event loop only.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    private static final int MAX_STREAMS_PER_CONNECTION = 16;

    private final StreamGateway gateway;
    private final StreamSettings streamSettings;
    private final RtmpServerSettings settings;
    private final ChunkWriter writer;
    private final Map<Integer, Ingest> publishing = new HashMap<>();
    private final Map<Integer, RtmpPlayer> playing = new HashMap<>();
    private ChunkDecoder decoder;
    private ChannelHandlerContext ctx;
    private String app;
    private Map<String, String> appParams = Map.of();
    private int nextStreamId = 1;
    private long ackWindow;
    private long lastAck;
    private boolean closing;

    ServerConnection(StreamGateway gateway, StreamSettings streamSettings, RtmpServerSettings settings,
                     ChunkWriter writer) {
        this.gateway = gateway;
        this.streamSettings = streamSettings;
        this.settings = settings;
        this.writer = writer;
        this.ackWindow = settings.windowAckSize();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.decoder = ctx.pipeline().get(ChunkDecoder.class);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!closing) {
                handle(m);
            }
        } finally {
            m.release();
        }
    }

    private void handle(RtmpMessage m) {
        switch (m.typeId()) {
            case MessageType.WINDOW_ACK_SIZE -> ackWindow = Math.max(1, m.payload().getInt(m.payload().readerIndex()));
            case MessageType.USER_CONTROL -> userControl(m);
            case MessageType.COMMAND_AMF0, MessageType.COMMAND_AMF3 -> command(Command.decode(m), m.streamId());
            case MessageType.AUDIO, MessageType.VIDEO, MessageType.DATA_AMF0, MessageType.DATA_AMF3 -> media(m);
            case MessageType.AGGREGATE -> {
                for (RtmpMessage sub : AggregateMessages.unpack(m)) {
                    try {
                        media(sub);
                    } finally {
                        sub.release();
                    }
                }
            }
            default -> {
                // Set Chunk Size and Abort are applied by the decoder; acknowledgements and peer
                // bandwidth need no action because we never throttle on them.
            }
        }
    }

    private void userControl(RtmpMessage m) {
        var p = m.payload();
        if (p.readableBytes() < 6) {
            return;
        }
        int event = p.getUnsignedShort(p.readerIndex());
        if (event == ControlMessages.EVENT_PING_REQUEST) {
            ctx.writeAndFlush(ControlMessages.userControl(ctx.alloc(), ControlMessages.EVENT_PING_RESPONSE,
                    p.getInt(p.readerIndex() + 2)));
        }
    }

    private void media(RtmpMessage m) {
        Ingest ingest = publishing.get(m.streamId());
        if (ingest != null) {
            ingest.accept(ctx.alloc(), m);
        }
    }

    private void command(Command c, int streamId) {
        switch (c.name()) {
            case "connect" -> connect(c);
            case "createStream" -> createStream(c);
            case "releaseStream", "FCPublish", "FCSubscribe", "FCUnsubscribe" -> result(c, Undefined.INSTANCE);
            case "FCUnpublish" -> {
                unpublishByName(c.stringArg(0));
                result(c, Undefined.INSTANCE);
            }
            case "getStreamLength" -> result(c, 0.0);
            case "publish" -> publish(c, streamId);
            case "play" -> play(c, streamId);
            case "deleteStream" -> closeStream((int) c.numberArg(0, streamId));
            case "closeStream" -> closeStream(streamId);
            case "receiveAudio", "receiveVideo" -> {
                RtmpPlayer player = playing.get(streamId);
                if (player != null) {
                    boolean on = c.booleanArg(0, true);
                    if (c.name().equals("receiveAudio")) {
                        player.receiveAudio(on);
                    } else {
                        player.receiveVideo(on);
                    }
                }
            }
            default -> {
                if (c.transactionId() != 0) {
                    send(Command.of("_error", c.transactionId(), null,
                            Status.error(Status.CALL_FAILED, "Method not found (" + c.name() + ").")), 0);
                }
            }
        }
    }

    private void connect(Command c) {
        AmfObject props = c.commandObjectAsObject();
        StreamNames parsed = StreamNames.parseApp(props.string("app"));
        if (app != null) {
            send(Command.of("_error", c.transactionId(), null,
                    Status.error(Status.CONNECT_REJECTED, "Already connected.")), 0);
            return;
        }
        if (!gateway.hasApp(parsed.name())) {
            log.info("RTMP connect refused from {}: unknown application '{}'", remote(), parsed.name());
            ctx.writeAndFlush(Command.of("_error", c.transactionId(), null,
                    Status.error(Status.CONNECT_REJECTED, "Unknown application '" + parsed.name() + "'."))
                    .toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0))
                    .addListener(ChannelFutureListener.CLOSE);
            closing = true;
            return;
        }
        app = parsed.name();
        appParams = parsed.params();
        log.info("RTMP connect {} from {} ({})", app, remote(), props.string("flashVer"));
        ctx.write(ControlMessages.windowAckSize(ctx.alloc(), settings.windowAckSize()));
        ctx.write(ControlMessages.setPeerBandwidth(ctx.alloc(), settings.windowAckSize(),
                ControlMessages.BANDWIDTH_DYNAMIC));
        ctx.write(ControlMessages.setChunkSize(ctx.alloc(), settings.chunkSize()));
        writer.setChunkSize(settings.chunkSize());
        Object encoding = props.get("objectEncoding");
        AmfObject info = Status.status(Status.CONNECT_SUCCESS, "Connection succeeded.");
        info.put("objectEncoding", encoding instanceof Number n ? n.doubleValue() : 0.0);
        AmfObject server = AmfObject.of("fmsVer", "FMS/3,5,7,7009", "capabilities", 31.0, "mode", 1.0);
        send(Command.of("_result", c.transactionId(), server, info), 0);
    }

    private void createStream(Command c) {
        if (publishing.size() + playing.size() >= MAX_STREAMS_PER_CONNECTION
                || nextStreamId > MAX_STREAMS_PER_CONNECTION * 4) {
            send(Command.of("_error", c.transactionId(), null,
                    Status.error(Status.CALL_FAILED, "Too many streams on one connection.")), 0);
            return;
        }
        result(c, (double) nextStreamId++);
    }

    private void publish(Command c, int streamId) {
        StreamRequest request = request(c.stringArg(0), "rtmp");
        if (request == null || publishing.containsKey(streamId) || playing.containsKey(streamId)) {
            refusePublish(streamId, Status.PUBLISH_BAD_NAME, request == null
                    ? "Not connected, or no stream name." : "That message stream is already in use.");
            return;
        }
        gateway.publish(request, reason -> ctx.executor().execute(() -> kickPublisher(streamId, reason)))
                .whenCompleteAsync((publisher, error) -> {
                    if (error != null) {
                        StreamException e = unwrap(error);
                        log.info("publish refused {} from {}: {}", request.path(), remote(), e.getMessage());
                        refusePublish(streamId, publishCode(e), e.getMessage());
                    } else if (closing || !ctx.channel().isActive() || publishing.containsKey(streamId)) {
                        publisher.close();
                    } else {
                        publishing.put(streamId, new Ingest(publisher));
                        log.info("publish start {} from {}", request.path(), remote());
                        ctx.write(ControlMessages.userControl(ctx.alloc(), ControlMessages.EVENT_STREAM_BEGIN, streamId));
                        send(Command.of("onStatus", 0, null,
                                Status.status(Status.PUBLISH_START, request.path() + " is now published.")), streamId);
                    }
                }, ctx.executor());
    }

    private void play(Command c, int streamId) {
        StreamRequest request = request(c.stringArg(0), "rtmp");
        if (request == null || publishing.containsKey(streamId) || playing.containsKey(streamId)) {
            send(Command.of("onStatus", 0, null, Status.error(Status.PLAY_FAILED,
                    request == null ? "Not connected, or no stream name." : "That message stream is in use.")),
                    streamId);
            return;
        }
        boolean reset = c.booleanArg(3, true);
        gateway.play(request).whenCompleteAsync((stream, error) -> {
            if (error != null) {
                StreamException e = unwrap(error);
                log.info("play refused {} rtmp to {}: {}", request.path(), remote(), e.getMessage());
                String code = e.reason() == StreamException.Reason.NOT_FOUND
                        ? Status.PLAY_STREAM_NOT_FOUND : Status.PLAY_FAILED;
                send(Command.of("onStatus", 0, null, Status.error(code, e.getMessage())), streamId);
                return;
            }
            if (closing || !ctx.channel().isActive() || playing.containsKey(streamId)) {
                return;
            }
            startPlayer(stream, request.path(), streamId, reset);
        }, ctx.executor());
    }

    private void startPlayer(LiveStream stream, StreamPath path, int streamId, boolean reset) {
        RtmpPlayer player = new RtmpPlayer(ctx.channel(), streamSettings, writer, streamId, path, reset,
                () -> {
                    RtmpPlayer ended = playing.remove(streamId);
                    if (ended != null) {
                        stopPlaying(ended, "stream ended");
                    }
                });
        try {
            Subscription subscription = stream.subscribe(player);
            player.bind(subscription);
            playing.put(streamId, player);
            log.info("play start {} rtmp to {}", path, remote());
        } catch (StreamException e) {
            send(Command.of("onStatus", 0, null, Status.error(Status.PLAY_STREAM_NOT_FOUND, e.getMessage())),
                    streamId);
        }
    }

    private StreamRequest request(String rawName, String protocol) {
        if (app == null || rawName == null || rawName.isEmpty()) {
            return null;
        }
        StreamNames name = StreamNames.parse(rawName);
        Map<String, String> params = new LinkedHashMap<>(appParams);
        params.putAll(name.params());
        return new StreamRequest(new StreamPath(app, name.name()), params, ctx.channel().remoteAddress(), protocol);
    }

    private void refusePublish(int streamId, String code, String description) {
        closing = true;
        ctx.writeAndFlush(Command.of("onStatus", 0, null, Status.error(code, description))
                .toMessage(ctx.alloc(), ControlMessages.CSID_STREAM, streamId))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void unpublishByName(String rawName) {
        if (rawName == null) {
            return;
        }
        String name = StreamNames.parse(rawName).name();
        publishing.entrySet().removeIf(e -> {
            if (e.getValue().publisher().stream().path().streamId().equals(name)) {
                stopPublishing(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
    }

    private void closeStream(int streamId) {
        Ingest ingest = publishing.remove(streamId);
        if (ingest != null) {
            stopPublishing(streamId, ingest);
        }
        RtmpPlayer player = playing.remove(streamId);
        if (player != null) {
            stopPlaying(player, "closed by the client");
        }
    }

    private void stopPublishing(int streamId, Ingest ingest) {
        Publisher p = ingest.publisher();
        p.close();
        log.info("publish stop {} from {} after {} s, {} bytes", p.stream().path(), remote(),
                seconds(System.currentTimeMillis() - p.startedAtMillis()), p.bytesReceived());
        if (ctx.channel().isActive()) {
            send(Command.of("onStatus", 0, null,
                    Status.status(Status.UNPUBLISH_SUCCESS, p.stream().path() + " is now unpublished.")), streamId);
        }
    }

    private void stopPlaying(RtmpPlayer player, String why) {
        player.stop();
        log.info("play stop {} rtmp to {} ({}): {} frames, {} bytes, {} dropped", player.path(), remote(), why,
                player.framesSent(), player.bytesSent(), player.framesDropped());
    }

    /** The node ended this publish (operator, shutdown): tell the encoder why and close. */
    private void kickPublisher(int streamId, String reason) {
        Ingest ingest = publishing.remove(streamId);
        if (ingest == null) {
            return;
        }
        stopPublishing(streamId, ingest);
        closing = true;
        ctx.writeAndFlush(Command.of("onStatus", 0, null, Status.error(Status.CONNECT_APP_SHUTDOWN, reason))
                .toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0)).addListener(ChannelFutureListener.CLOSE);
    }

    /** Shutdown: tell the client the application is going away, then close. */
    void shutdown(String reason) {
        if (!ctx.channel().isActive()) {
            return;
        }
        for (var e : Map.copyOf(publishing).entrySet()) {
            kickPublisher(e.getKey(), reason);
        }
        closing = true;
        ctx.writeAndFlush(Command.of("onStatus", 0, null, Status.error(Status.CONNECT_APP_SHUTDOWN, reason))
                .toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void result(Command c, Object value) {
        if (c.transactionId() != 0) {
            send(Command.of("_result", c.transactionId(), null, value), 0);
        }
    }

    private void send(Command c, int streamId) {
        int csid = streamId == 0 ? ControlMessages.CSID_COMMAND : ControlMessages.CSID_STREAM;
        ctx.writeAndFlush(c.toMessage(ctx.alloc(), csid, streamId));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (decoder != null && decoder.bytesRead() - lastAck >= ackWindow) {
            lastAck = decoder.bytesRead();
            ctx.writeAndFlush(ControlMessages.acknowledgement(ctx.alloc(), lastAck));
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        for (RtmpPlayer p : playing.values()) {
            p.writabilityChanged();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && playing.isEmpty()) {
            log.info("closing RTMP connection from {}: nothing received for {} s", remote(),
                    settings.idleTimeout().toSeconds());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (var e : publishing.entrySet()) {
            stopPublishing(e.getKey(), e.getValue());
        }
        publishing.clear();
        for (RtmpPlayer p : playing.values()) {
            stopPlaying(p, "connection closed");
        }
        playing.clear();
        if (app != null) {
            log.info("RTMP disconnect {} from {}", app, remote());
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof IOException) {
            log.debug("RTMP connection from {} failed: {}", remote(), root.toString());
        } else if (root instanceof RtmpProtocolException || cause instanceof DecoderException) {
            log.info("closing RTMP connection from {}: {}", remote(), root.getMessage());
        } else {
            log.warn("closing RTMP connection from {} after an internal error", remote(), cause);
        }
        closing = true;
        ctx.close();
    }

    private String remote() {
        return Addresses.format(ctx.channel().remoteAddress());
    }

    private static StreamException unwrap(Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof StreamException se) {
            return se;
        }
        log.warn("stream request failed", cause);
        return new StreamException(StreamException.Reason.UNAVAILABLE, "Internal error: " + cause.getMessage());
    }

    private static String publishCode(StreamException e) {
        return switch (e.reason()) {
            case UNAUTHORIZED, FORBIDDEN -> Status.PUBLISH_UNAUTHORIZED;
            case UNAVAILABLE -> Status.STREAM_FAILED;
            default -> Status.PUBLISH_BAD_NAME;
        };
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f", millis / 1000.0);
    }
}
