package io.tributary.rtmp.handshake;

import static io.tributary.rtmp.handshake.HandshakeDigest.PACKET_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the RTMP handshake: reads C0+C1, answers S0+S1+S2, reads C2, then fires
 * {@link HandshakeCompleted#INSTANCE} and removes itself. Bytes that arrived after C2 in the same
 * read are handed to the next handler when it is removed.
 *
 * <p>A C1 carrying a Flash client digest gets the digest answer (players such as ffprobe check
 * it); anything else gets the plain answer of the RTMP 1.0 specification. C2 is read but not
 * checked: encoders in the wild echo S1, sign it, or send anything at all.
 *
 * <p>One instance per connection.
 */
public final class ServerHandshakeHandler extends ByteToMessageDecoder {

    private static final Logger log = LoggerFactory.getLogger(ServerHandshakeHandler.class);

    static final int RTMP_VERSION = 3;
    private static final int RANDOM_LENGTH = PACKET_LENGTH - 8;

    private boolean waitingForC2;
    private boolean refused;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!waitingForC2) {
            if (!in.isReadable()) {
                return;
            }
            // Checked on the first byte so an RTMPE or non-RTMP client is turned away at once.
            int version = in.getUnsignedByte(in.readerIndex());
            if (version != RTMP_VERSION) {
                refuse(ctx, in, version);
                return;
            }
            if (in.readableBytes() < 1 + PACKET_LENGTH) {
                return;
            }
            in.skipBytes(1);
            byte[] c1 = new byte[PACKET_LENGTH];
            in.readBytes(c1);
            ctx.writeAndFlush(answer(ctx, c1)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
            waitingForC2 = true;
        }
        if (in.readableBytes() < PACKET_LENGTH) {
            return;
        }
        in.skipBytes(PACKET_LENGTH);
        ctx.fireUserEventTriggered(HandshakeCompleted.INSTANCE);
        // ByteToMessageDecoder passes what is left of its cumulation on to the next handler.
        ctx.pipeline().remove(this);
    }

    private static ByteBuf answer(ChannelHandlerContext ctx, byte[] c1) {
        byte[] random = new byte[RANDOM_LENGTH];
        HandshakeRandom.fill(random);
        ByteBuf reply = ctx.alloc().buffer(1 + 2 * PACKET_LENGTH);
        reply.writeByte(RTMP_VERSION);
        int clientDigest = HandshakeDigest.findClientDigest(c1);
        if (clientDigest < 0) {
            reply.writeInt(0).writeInt(0).writeBytes(random);
            reply.writeBytes(c1);
            return reply;
        }
        reply.writeBytes(HandshakeDigest.serverS1(HandshakeDigest.schemeOf(clientDigest), 0, random));
        HandshakeRandom.fill(random); // S2 signs the first 1504 of these 1528
        reply.writeBytes(HandshakeDigest.serverS2(c1, clientDigest, random));
        log.debug("{} sent a digest C1 (digest at {}), answering with digests", ctx.channel(), clientDigest);
        return reply;
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, int version) {
        refused = true;
        in.skipBytes(in.readableBytes());
        log.info("refusing RTMP handshake from {}: C0 asks for version {}{}; only plain RTMP (version 3) is served",
                ctx.channel().remoteAddress(), version, version == 6 || version == 8 || version == 9
                        ? " (RTMPE encryption)" : "");
        ctx.close();
    }
}
