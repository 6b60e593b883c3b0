package io.tributary.rtmp.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.tributary.media.Frame;
import io.tributary.media.amf.AmfObject;
import io.tributary.media.flv.FlvFormatException;
import io.tributary.media.flv.FlvFrames;
import io.tributary.rtmp.chunk.ChunkDecoder;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import io.tributary.rtmp.command.PeerControl;
import io.tributary.rtmp.command.Status;
import io.tributary.rtmp.handshake.HandshakeCompleted;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The client side of one RTMP connection: calls and their replies, stream statuses, incoming media. */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    /** A message stream this client publishes or plays on. */
    static final class NetStream {
        final PlayListener listener;
        final CompletableFuture<Void> started = new CompletableFuture<>();
        final String successCode;

        NetStream(PlayListener listener, String successCode) {
            this.listener = listener;
            this.successCode = successCode;
        }
    }

    private static final long DEFAULT_WINDOW = 2_500_000;

    private final Command connect;
    private final CompletableFuture<Command> connected = new CompletableFuture<>();
    private final Map<Double, CompletableFuture<Command>> calls = new HashMap<>();
    private final Map<Integer, NetStream> streams = new HashMap<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private ChannelHandlerContext ctx;
    private PeerControl control;
    private double nextTransaction = 2;

    ClientConnection(Command connect) {
        this.connect = connect;
    }

    CompletableFuture<Command> connected() {
        return connected;
    }

    CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        // Until the server announces its window, acknowledge as often as a server would ask.
        this.control = new PeerControl(ctx.pipeline().get(ChunkDecoder.class), DEFAULT_WINDOW);
    }

    /** Sends a call and returns its reply (_result completes, _error fails). Event loop only. */
    CompletableFuture<Command> call(String name, Object commandObject, int streamId, Object... args) {
        double txn = nextTransaction++;
        CompletableFuture<Command> reply = new CompletableFuture<>();
        calls.put(txn, reply);
        send(Command.of(name, txn, commandObject, args), streamId);
        return reply;
    }

    /** Sends a command that expects no reply (transaction 0). */
    void send(Command c, int streamId) {
        int csid = streamId == 0 ? ControlMessages.CSID_COMMAND : ControlMessages.CSID_STREAM;
        ctx.writeAndFlush(c.toMessage(ctx.alloc(), csid, streamId));
    }

    /** Registers a stream whose onStatus {@code successCode} completes {@link NetStream#started}. */
    NetStream open(int streamId, PlayListener listener, String successCode) {
        NetStream s = new NetStream(listener, successCode);
        streams.put(streamId, s);
        return s;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == HandshakeCompleted.INSTANCE) {
            calls.put(1.0, connected);
            send(connect, 0);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RtmpMessage m)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (control.handle(ctx, m)) {
                return;
            }
            switch (m.typeId()) {
                case MessageType.COMMAND_AMF0, MessageType.COMMAND_AMF3 -> command(Command.decode(m), m.streamId());
                case MessageType.AUDIO, MessageType.VIDEO, MessageType.DATA_AMF0 -> media(m);
                default -> {
                }
            }
        } finally {
            m.release();
        }
    }

    private void command(Command c, int streamId) {
        switch (c.name()) {
            case "_result", "_error" -> {
                CompletableFuture<Command> reply = calls.remove(c.transactionId());
                if (reply == null) {
                    return;
                }
                if (c.name().equals("_result")) {
                    reply.complete(c);
                } else {
                    Object info = c.arg(0);
                    reply.completeExceptionally(new RtmpStatusException(String.valueOf(Status.code(info)),
                            info instanceof AmfObject o ? o.string("description") : ""));
                }
            }
            case "onStatus" -> {
                Object arg = c.arg(0);
                AmfObject info = arg instanceof AmfObject o ? o : new AmfObject();
                if (streamId == 0) {
                    for (NetStream s : new ArrayList<>(streams.values())) {
                        status(s, info);
                    }
                } else {
                    NetStream s = streams.get(streamId);
                    if (s != null) {
                        status(s, info);
                    }
                }
            }
            default -> {
            }
        }
    }

    private static void status(NetStream s, AmfObject info) {
        String code = info.string("code");
        if (Status.isError(info)) {
            s.started.completeExceptionally(new RtmpStatusException(code, info.string("description")));
        } else if (s.successCode.equals(code)) {
            s.started.complete(null);
        }
        if (s.listener != null) {
            s.listener.onStatus(code, info);
        }
    }

    private void media(RtmpMessage m) {
        NetStream s = streams.get(m.streamId());
        if (s == null || s.listener == null || !m.payload().isReadable()) {
            return;
        }
        Frame frame;
        try {
            frame = switch (m.typeId()) {
                case MessageType.VIDEO -> FlvFrames.video(m.timestamp(), m.payload().retainedSlice());
                case MessageType.AUDIO -> FlvFrames.audio(m.timestamp(), m.payload().retainedSlice());
                default -> FlvFrames.data(m.timestamp(), m.payload().retainedSlice());
            };
        } catch (FlvFormatException e) {
            return;
        }
        try {
            s.listener.onFrame(frame);
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        control.readComplete(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        IOException gone = new IOException("RTMP connection closed");
        connected.completeExceptionally(gone);
        List<CompletableFuture<Command>> pending = new ArrayList<>(calls.values());
        calls.clear();
        pending.forEach(f -> f.completeExceptionally(gone));
        for (NetStream s : streams.values()) {
            s.started.completeExceptionally(gone);
            if (s.listener != null) {
                s.listener.onClose();
            }
        }
        closed.complete(null);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connected.completeExceptionally(cause);
        ctx.close();
    }
}
