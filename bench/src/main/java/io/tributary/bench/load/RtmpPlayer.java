package io.tributary.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.tributary.media.amf.AmfObject;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import io.tributary.rtmp.chunk.RtmpProtocolException;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import io.tributary.rtmp.command.Status;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A light RTMP player: plain handshake, {@code connect}, {@code createStream}, {@code play}, then counting.
 * What it sends goes out as whole messages chunked at the protocol's initial 128 bytes. What it receives
 * is read by a {@link ChunkReader}: audio and video bytes are counted as they go past, commands and
 * protocol control messages (a few bytes each) are gathered and acted on, anything else is skipped.
 * It acknowledges received bytes every window and answers pings, as servers such as nginx-rtmp expect.
 */
final class RtmpPlayer extends Player implements ChunkReader.Sink {
    private static final int HANDSHAKE_SIZE = 1536;
    private static final int HANDSHAKE_REPLY = 1 + 2 * HANDSHAKE_SIZE;
    private static final int OUT_CHUNK_SIZE = 128;
    private static final int MAX_GATHERED = 64 * 1024;
    /** Until the server announces its window, acknowledge as often as a server would ask. */
    private static final long DEFAULT_ACK_WINDOW = 2_500_000;
    private static final double TXN_CONNECT = 1;
    private static final double TXN_CREATE_STREAM = 2;
    private static final int CSID_PLAY = 8;

    private final RtmpTarget target;
    private ChunkReader reader;
    private int handshakeRead;
    private ByteBuf c2;
    private long ackWindow = DEFAULT_ACK_WINDOW;
    private long lastAck;

    /** What every RTMP player of one level connects to. */
    record RtmpTarget(String host, int port, String app, String stream) {
        String tcUrl() {
            return "rtmp://" + host + ":" + port + "/" + app;
        }
    }

    RtmpPlayer(int index, LoadGenerator generator, LoopStats loop, RtmpTarget target) {
        super(index, generator, loop);
        this.target = target;
    }

    @Override
    String protocol() {
        return "rtmp";
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // C0 and a plain C1: time 0, zero 0, random bytes.
        ByteBuf c0c1 = ctx.alloc().buffer(1 + HANDSHAKE_SIZE);
        c0c1.writeByte(3).writeInt(0).writeInt(0);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < (HANDSHAKE_SIZE - 8) / 8; i++) {
            c0c1.writeLong(random.nextLong());
        }
        ctx.writeAndFlush(c0c1, ctx.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            if (reader == null) {
                handshake(ctx, in);
            }
            if (reader != null && in.isReadable()) {
                reader.read(in);
            }
        } catch (RtmpProtocolException e) {
            fail("RTMP protocol error: " + e.getMessage());
        } finally {
            in.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (reader != null && reader.bytesRead() - lastAck >= ackWindow) {
            lastAck = reader.bytesRead();
            write(ctx, ControlMessages.acknowledgement(ctx.alloc(), lastAck));
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (c2 != null) {
            c2.release();
            c2 = null;
        }
        if (reader != null) {
            reader.stop();
            reader.forEach(s -> {
                if (s.gathered != null) {
                    s.gathered.release();
                    s.gathered = null;
                }
            });
        }
        super.channelInactive(ctx);
    }

    /** Reads S0, S1 (kept as C2, the plain handshake's echo) and S2; then sends C2 and connect. */
    private void handshake(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable() && handshakeRead < HANDSHAKE_REPLY) {
            if (handshakeRead == 0) {
                int version = in.readUnsignedByte();
                if (version != 3) {
                    throw new RtmpProtocolException("the server answered the handshake with version " + version);
                }
                handshakeRead = 1;
                c2 = ctx.alloc().buffer(HANDSHAKE_SIZE);
            } else if (handshakeRead < 1 + HANDSHAKE_SIZE) {
                int n = Math.min(in.readableBytes(), 1 + HANDSHAKE_SIZE - handshakeRead);
                c2.writeBytes(in, n);
                handshakeRead += n;
            } else {
                int n = Math.min(in.readableBytes(), HANDSHAKE_REPLY - handshakeRead);
                in.skipBytes(n);
                handshakeRead += n;
            }
        }
        if (handshakeRead == HANDSHAKE_REPLY) {
            ctx.write(c2, ctx.voidPromise());
            c2 = null;
            reader = new ChunkReader(this, scratch);
            AmfObject props = AmfObject.of(
                    "app", target.app(),
                    "flashVer", "LNX 9,0,124,2",
                    "tcUrl", target.tcUrl(),
                    "fpad", false,
                    "capabilities", 15.0,
                    "audioCodecs", 4071.0,
                    "videoCodecs", 252.0,
                    "videoFunction", 1.0);
            write(ctx, Command.of("connect", TXN_CONNECT, props).toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0));
            ctx.flush();
        }
    }

    @Override
    public void messageStart(ChunkReader.ChunkStream s) {
        switch (s.typeId) {
            case AUDIO, VIDEO -> mediaStart(s, s.typeId, s.length);
            case MessageType.SET_CHUNK_SIZE, MessageType.ABORT, MessageType.ACKNOWLEDGEMENT, MessageType.USER_CONTROL,
                 MessageType.WINDOW_ACK_SIZE, MessageType.SET_PEER_BANDWIDTH, MessageType.COMMAND_AMF0,
                 MessageType.COMMAND_AMF3 -> {
                if (s.length > MAX_GATHERED) {
                    throw new RtmpProtocolException(MessageType.name(s.typeId) + " message of " + s.length
                            + " bytes is longer than the " + MAX_GATHERED + " a player reads");
                }
                s.gathered = channel.alloc().buffer(s.length, s.length);
            }
            case MessageType.AGGREGATE -> throw new RtmpProtocolException(
                    "the server sent an aggregate message, which the load generator does not read");
            default -> {
                // Data (onMetaData, |RtmpSampleAccess), shared objects: skipped.
            }
        }
    }

    @Override
    public void messageBytes(ChunkReader.ChunkStream s, ByteBuf in, int at, int n) {
        if (s.typeId == AUDIO || s.typeId == VIDEO) {
            mediaBytes(s, in, at, n);
        } else if (s.gathered != null) {
            s.gathered.writeBytes(in, at, n);
        }
    }

    @Override
    public void messageEnd(ChunkReader.ChunkStream s) {
        if (s.typeId == AUDIO || s.typeId == VIDEO) {
            mediaEnd(s);
            return;
        }
        ByteBuf body = s.gathered;
        if (body == null) {
            return;
        }
        s.gathered = null;
        try {
            control(s, body);
        } finally {
            body.release();
        }
    }

    private void control(ChunkReader.ChunkStream s, ByteBuf body) {
        ChannelHandlerContext ctx = context;
        switch (s.typeId) {
            case MessageType.SET_CHUNK_SIZE -> reader.setChunkSize(int32(body, "Set Chunk Size"));
            case MessageType.ABORT -> {
                ChunkReader.ChunkStream aborted = reader.abort(int32(body, "Abort"));
                if (aborted != null && (aborted.typeId == AUDIO || aborted.typeId == VIDEO)) {
                    mediaAbort(aborted);
                } else if (aborted != null && aborted.gathered != null) {
                    aborted.gathered.release();
                    aborted.gathered = null;
                }
            }
            case MessageType.WINDOW_ACK_SIZE -> ackWindow = Math.max(1, int32(body, "Window Acknowledgement Size")
                    & 0xFFFFFFFFL);
            case MessageType.USER_CONTROL -> {
                int at = body.readerIndex();
                if (body.readableBytes() >= 6 && body.getUnsignedShort(at) == ControlMessages.EVENT_PING_REQUEST) {
                    write(ctx, ControlMessages.userControl(ctx.alloc(), ControlMessages.EVENT_PING_RESPONSE,
                            body.getInt(at + 2)));
                    ctx.flush();
                }
            }
            case MessageType.COMMAND_AMF0, MessageType.COMMAND_AMF3 -> command(ctx,
                    Command.decode(new RtmpMessage(s.csid, s.typeId, s.streamId, 0, body)));
            default -> {
                // Acknowledgements and Set Peer Bandwidth ask nothing of a player.
            }
        }
    }

    private void command(ChannelHandlerContext ctx, Command c) {
        switch (c.name()) {
            case "_result" -> {
                if (c.transactionId() == TXN_CONNECT) {
                    write(ctx, Command.of("createStream", TXN_CREATE_STREAM, null)
                            .toMessage(ctx.alloc(), ControlMessages.CSID_COMMAND, 0));
                    ctx.flush();
                } else if (c.transactionId() == TXN_CREATE_STREAM) {
                    int streamId = (int) c.numberArg(0, 1);
                    write(ctx, Command.of("play", 0, null, target.stream(), -2000.0)
                            .toMessage(ctx.alloc(), CSID_PLAY, streamId));
                    write(ctx, ControlMessages.setBufferLength(ctx.alloc(), streamId, 3000));
                    ctx.flush();
                }
            }
            case "_error" -> {
                Object info = c.arg(0);
                String what = c.transactionId() == TXN_CONNECT ? "connect" : "createStream";
                fail(what + " refused: " + Status.code(info) + ": " + description(info));
            }
            case "onStatus" -> {
                Object info = c.arg(0);
                String code = Status.code(info);
                if (Status.isError(info) || Status.PLAY_STREAM_NOT_FOUND.equals(code)
                        || Status.PLAY_FAILED.equals(code)) {
                    fail(code + ": " + description(info));
                } else if (Status.PLAY_STOP.equals(code)) {
                    fail("the server stopped the stream: " + code);
                }
            }
            default -> {
                // onBWDone, |RtmpSampleAccess and the like.
            }
        }
        if (failed() && reader != null) {
            reader.stop();
        }
    }

    private static String description(Object info) {
        return info instanceof AmfObject o ? String.valueOf(o.string("description")) : "";
    }

    private static int int32(ByteBuf body, String name) {
        if (body.readableBytes() < 4) {
            throw new RtmpProtocolException(name + " message has " + body.readableBytes() + " bytes, expected 4");
        }
        return body.getInt(body.readerIndex());
    }

    /** Writes one message as chunks of the protocol's initial size, all type 0 then type 3 headers. */
    private static void write(ChannelHandlerContext ctx, RtmpMessage m) {
        try {
            ctx.write(chunked(ctx.alloc(), m), ctx.voidPromise());
        } finally {
            m.release();
        }
    }

    static ByteBuf chunked(ByteBufAllocator alloc, RtmpMessage m) {
        ByteBuf payload = m.payload();
        int length = payload.readableBytes();
        int csid = m.chunkStreamId();
        int chunks = Math.max(1, (length + OUT_CHUNK_SIZE - 1) / OUT_CHUNK_SIZE);
        ByteBuf out = alloc.buffer(12 + chunks - 1 + length);
        out.writeByte(csid).writeMedium(0).writeMedium(length).writeByte(m.typeId()).writeIntLE(m.streamId());
        for (int offset = 0; offset < length; offset += OUT_CHUNK_SIZE) {
            if (offset > 0) {
                out.writeByte(0xC0 | csid);
            }
            out.writeBytes(payload, payload.readerIndex() + offset, Math.min(OUT_CHUNK_SIZE, length - offset));
        }
        return out;
    }
}
