package io.tributary.rtmp.handshake;

import static io.tributary.rtmp.handshake.HandshakeDigest.PACKET_LENGTH;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.Arrays;
import java.util.List;

/**
 * The client side of the RTMP handshake, for our own RTMP client: sends C0+C1 as soon as the
 * channel is active, reads S0+S1+S2, sends C2, then fires {@link HandshakeCompleted#INSTANCE} and
 * removes itself (bytes after S2 go on to the next handler).
 *
 * <p>By default C1 is a Flash-style digest C1 (version 10.0.45.2, like ffmpeg), so that servers
 * which tell Flash clients apart, such as nginx-rtmp, answer with digests. When a server answers
 * with a non-zero S1 version, its S1 digest and S2 signature are checked, a failure being a
 * {@link HandshakeException}, and C2 signs the server's digest. A server answering with version
 * zero gets the plain C2, an echo of S1.
 *
 * <p>One instance per connection.
 */
public final class ClientHandshakeHandler extends ByteToMessageDecoder {

    private final boolean digest;
    private byte[] c1;
    private int c1DigestOffset = -1;
    private boolean failed;

    /** A client that sends a digest C1, like Flash Player and ffmpeg. */
    public ClientHandshakeHandler() {
        this(true);
    }

    /** @param digest whether C1 carries a Flash client digest; {@code false} for the plain RTMP 1.0 handshake */
    public ClientHandshakeHandler(boolean digest) {
        this.digest = digest;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        // Added to a channel that is already connected: channelActive will not come.
        if (ctx.channel().isActive()) {
            sendC0C1(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        sendC0C1(ctx);
        super.channelActive(ctx);
    }

    private void sendC0C1(ChannelHandlerContext ctx) {
        if (c1 != null) {
            return;
        }
        byte[] random = new byte[PACKET_LENGTH - 8];
        HandshakeRandom.fill(random);
        if (digest) {
            c1 = HandshakeDigest.clientC1(0, 0, random);
            c1DigestOffset = HandshakeDigest.findClientDigest(c1);
        } else {
            c1 = new byte[PACKET_LENGTH];
            System.arraycopy(random, 0, c1, 8, random.length);
        }
        ByteBuf c0c1 = ctx.alloc().buffer(1 + PACKET_LENGTH);
        c0c1.writeByte(ServerHandshakeHandler.RTMP_VERSION).writeBytes(c1);
        ctx.writeAndFlush(c0c1).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed || c1 == null) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 1 + 2 * PACKET_LENGTH) {
            return;
        }
        int version = in.readUnsignedByte();
        if (version != ServerHandshakeHandler.RTMP_VERSION) {
            throw fail(ctx, in, "server answered the handshake with RTMP version " + version + ", expected 3");
        }
        byte[] s1 = new byte[PACKET_LENGTH];
        byte[] s2 = new byte[PACKET_LENGTH];
        in.readBytes(s1).readBytes(s2);
        byte[] c2 = answer(ctx, in, s1, s2);
        ctx.writeAndFlush(ctx.alloc().buffer(PACKET_LENGTH).writeBytes(c2))
                .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        c1 = null;
        ctx.fireUserEventTriggered(HandshakeCompleted.INSTANCE);
        // ByteToMessageDecoder passes what is left of its cumulation on to the next handler.
        ctx.pipeline().remove(this);
    }

    private byte[] answer(ChannelHandlerContext ctx, ByteBuf in, byte[] s1, byte[] s2) {
        int serverVersion = (s1[4] & 0xFF) << 24 | (s1[5] & 0xFF) << 16 | (s1[6] & 0xFF) << 8 | (s1[7] & 0xFF);
        if (!digest || serverVersion == 0) {
            return s1;
        }
        int s1DigestOffset = HandshakeDigest.findServerDigest(s1);
        if (s1DigestOffset < 0) {
            throw fail(ctx, in, String.format(
                    "server S1 claims version 0x%08X but carries no valid Flash Media Server digest", serverVersion));
        }
        // An echo of C1 is the plain handshake's S2; nothing later depends on S2, so do not fail over it.
        if (!HandshakeDigest.validateServerS2(s2, c1, c1DigestOffset) && !Arrays.equals(s2, c1)) {
            throw fail(ctx, in, "server S2 is neither signed for our C1 digest nor an echo of C1");
        }
        byte[] random = new byte[PACKET_LENGTH];
        HandshakeRandom.fill(random);
        return HandshakeDigest.clientC2(s1, s1DigestOffset, random);
    }

    /** Closes the connection and returns the exception to throw to {@code exceptionCaught}. */
    private HandshakeException fail(ChannelHandlerContext ctx, ByteBuf in, String message) {
        failed = true;
        c1 = null;
        in.skipBytes(in.readableBytes());
        ctx.close();
        return new HandshakeException(message + " (" + ctx.channel().remoteAddress() + ")");
    }
}
