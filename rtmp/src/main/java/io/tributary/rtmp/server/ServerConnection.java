package io.tributary.rtmp.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.tributary.media.Addresses;
import io.tributary.media.amf.AmfObject;
import io.tributary.media.amf.Undefined;
import io.tributary.media.stream.StreamGateway;
import io.tributary.media.stream.StreamSettings;
import io.tributary.rtmp.chunk.AggregateMessages;
import io.tributary.rtmp.chunk.ChunkDecoder;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import io.tributary.rtmp.chunk.RtmpProtocolException;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import io.tributary.rtmp.command.PeerControl;
import io.tributary.rtmp.command.Status;
import io.tributary.rtmp.command.StreamNames;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One RTMP client connection after the handshake: protocol control (acknowledgements, pings) and the
 * NetConnection commands; what its message streams publish and play is {@link NetStreams}' business.
 * Runs on the connection's event loop only.
 */
final class ServerConnection extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ServerConnection.class);
    private static final int MAX_STREAMS_PER_CONNECTION = 16;

    private final StreamGateway gateway;
    private final StreamSettings streamSettings;
    private final RtmpServerSettings settings;
    private final ChunkWriter writer;
    private final BooleanSupplier serverStopping;
    private ChannelHandlerContext ctx;
    private PeerControl control;
    private NetStreams streams;
    private String app;
    private Map<String, String> appParams = Map.of();
    private int nextStreamId = 1;
    private boolean closing;

    ServerConnection(StreamGateway gateway, StreamSettings streamSettings, RtmpServerSettings settings,
                     ChunkWriter writer, BooleanSupplier serverStopping) {
        this.gateway = gateway;
        this.streamSettings = streamSettings;
        this.settings = settings;
        this.writer = writer;
        this.serverStopping = serverStopping;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.control = new PeerControl(ctx.pipeline().get(ChunkDecoder.class), settings.windowAckSize());
        this.streams = new NetStreams(ctx, gateway, streamSettings, writer, serverStopping);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!closing && !streams.closing()) {
                handle(m);
            }
        } finally {
            m.release();
        }
    }

    private void handle(RtmpMessage m) {
        if (control.handle(ctx, m)) {
            return;
        }
        switch (m.typeId()) {
            case MessageType.COMMAND_AMF0, MessageType.COMMAND_AMF3 -> command(Command.decode(m), m.streamId());
            case MessageType.AUDIO, MessageType.VIDEO, MessageType.DATA_AMF0, MessageType.DATA_AMF3 -> streams.media(m);
            case MessageType.AGGREGATE -> {
                for (RtmpMessage sub : AggregateMessages.unpack(m)) {
                    try {
                        streams.media(sub);
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

    private void command(Command c, int streamId) {
        switch (c.name()) {
            case "connect" -> connect(c);
            case "createStream" -> createStream(c);
            case "releaseStream", "FCPublish", "FCSubscribe", "FCUnsubscribe" -> result(c, Undefined.INSTANCE);
            case "FCUnpublish" -> {
                streams.unpublishByName(c.stringArg(0));
                result(c, Undefined.INSTANCE);
            }
            case "getStreamLength" -> result(c, 0.0);
            case "publish" -> streams.publish(app, appParams, c.stringArg(0), streamId);
            case "play" -> streams.play(app, appParams, c.stringArg(0), streamId, c.booleanArg(3, true),
                    c.numberArg(2, -1));
            case "deleteStream" -> streams.close((int) c.numberArg(0, streamId));
            case "closeStream" -> streams.close(streamId);
            case "receiveAudio" -> streams.receive(streamId, true, c.booleanArg(0, true));
            case "receiveVideo" -> streams.receive(streamId, false, c.booleanArg(0, true));
            default -> {
                if (c.transactionId() != 0) {
                    send(Command.of("_error", c.transactionId(), null,
                            Status.error(Status.CALL_FAILED, "Method not found (" + c.name() + ").")));
                }
            }
        }
    }

    private void connect(Command c) {
        AmfObject props = c.commandObjectAsObject();
        StreamNames parsed = StreamNames.parseApp(props.string("app"));
        if (app != null) {
            send(Command.of("_error", c.transactionId(), null, Status.error(Status.CONNECT_REJECTED,
                    "Already connected.")));
            return;
        }
        if (!gateway.hasApp(parsed.name())) {
            log.info("RTMP connect refused from {}: unknown application '{}'", remote(), parsed.name());
            closing = true;
            ctx.writeAndFlush(Command.of("_error", c.transactionId(), null,
                    Status.error(Status.CONNECT_REJECTED, "Unknown application '" + parsed.name() + "'."))
                    .toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        app = parsed.name();
        // A query on the tcUrl counts too (some encoders put a token only there); one on the app wins.
        Map<String, String> params = new LinkedHashMap<>(StreamNames.parse(props.string("tcUrl")).params());
        params.putAll(parsed.params());
        appParams = params;
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
        send(Command.of("_result", c.transactionId(), server, info));
    }

    private void createStream(Command c) {
        if (streams.count() >= MAX_STREAMS_PER_CONNECTION) {
            send(Command.of("_error", c.transactionId(), null,
                    Status.error(Status.CALL_FAILED, "Too many streams on one connection.")));
            return;
        }
        result(c, (double) nextStreamId++);
    }

    /** Shutdown: tell the client the application is going away, then close. */
    void shutdown(String reason) {
        if (!ctx.channel().isActive()) {
            return;
        }
        streams.kickAllPublishers(reason);
        closing = true;
        ctx.writeAndFlush(Command.of("onStatus", 0, null, Status.error(Status.CONNECT_APP_SHUTDOWN, reason))
                .toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0)).addListener(ChannelFutureListener.CLOSE);
    }

    private void result(Command c, Object value) {
        if (c.transactionId() != 0) {
            send(Command.of("_result", c.transactionId(), null, value));
        }
    }

    private void send(Command c) {
        ctx.writeAndFlush(c.toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        control.readComplete(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        streams.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent && !streams.isPlaying()) {
            log.info("closing RTMP connection from {}: nothing received for {} s", remote(),
                    settings.idleTimeout().toSeconds());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        streams.closeAll();
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
        return Addresses.format(RtmpServer.clientAddress(ctx.channel()));
    }
}
