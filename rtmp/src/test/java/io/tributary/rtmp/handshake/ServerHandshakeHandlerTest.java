package io.tributary.rtmp.handshake;

import static io.tributary.rtmp.handshake.HandshakeDigest.PACKET_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.tributary.rtmp.chunk.ChunkDecoder;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHandshakeHandlerTest {

    private final Recorder recorder = new Recorder();
    private final EmbeddedChannel channel = new EmbeddedChannel(new ServerHandshakeHandler(), recorder);

    @AfterEach
    void releaseWhatWasNotRead() {
        channel.finishAndReleaseAll();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static byte[] plainC1() {
        byte[] c1 = randomBytes(PACKET_LENGTH);
        Arrays.fill(c1, 0, 8, (byte) 0);
        return c1;
    }

    private static ByteBuf c0(int version, byte[] c1) {
        return Unpooled.buffer().writeByte(version).writeBytes(c1);
    }

    private byte[] reply() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; buf.release()) {
            out.writeBytes(ByteBufUtil.getBytes(buf));
        }
        return out.toByteArray();
    }

    @Test
    void answersAPlainC1WithThePlainHandshake() {
        byte[] c1 = plainC1();
        channel.writeInbound(c0(3, c1));

        byte[] reply = reply();
        assertThat(reply).hasSize(1 + 2 * PACKET_LENGTH);
        assertThat(reply[0]).isEqualTo((byte) 3);
        byte[] s1 = Arrays.copyOfRange(reply, 1, 1 + PACKET_LENGTH);
        assertThat(Arrays.copyOfRange(s1, 4, 8)).as("S1 version zero: no digest to check").containsOnly(0);
        assertThat(Arrays.copyOfRange(reply, 1 + PACKET_LENGTH, reply.length)).as("S2 echoes C1").isEqualTo(c1);
        assertThat(recorder.completed()).isFalse();
    }

    @ParameterizedTest(name = "scheme {0}")
    @ValueSource(ints = {0, 1})
    void answersADigestC1WithDigestsTheClientCanCheck(int scheme) {
        byte[] c1 = HandshakeDigest.clientC1(scheme, 0, randomBytes(PACKET_LENGTH));
        ByteBuf c0c1 = c0(3, c1);
        while (c0c1.isReadable()) {
            channel.writeInbound(c0c1.readRetainedSlice(Math.min(100, c0c1.readableBytes())));
        }
        c0c1.release();

        byte[] reply = reply();
        assertThat(reply).hasSize(1 + 2 * PACKET_LENGTH);
        byte[] s1 = Arrays.copyOfRange(reply, 1, 1 + PACKET_LENGTH);
        byte[] s2 = Arrays.copyOfRange(reply, 1 + PACKET_LENGTH, reply.length);
        int s1Digest = HandshakeDigest.findServerDigest(s1);
        assertThat(s1Digest).isNotNegative();
        assertThat(HandshakeDigest.schemeOf(s1Digest)).as("same scheme as the client").isEqualTo(scheme);
        assertThat(s1[4]).as("ffmpeg checks digests only from version 3 on").isGreaterThanOrEqualTo((byte) 3);
        assertThat(HandshakeDigest.validateServerS2(s2, c1, HandshakeDigest.findClientDigest(c1))).isTrue();

        byte[] c2 = HandshakeDigest.clientC2(s1, s1Digest, randomBytes(PACKET_LENGTH));
        channel.writeInbound(Unpooled.wrappedBuffer(c2));
        assertThat(recorder.completed()).isTrue();
    }

    @Test
    void completesOnAnyC2AndHandsLaterBytesToTheNextHandler() {
        channel.writeInbound(c0(3, plainC1()));
        reply();

        // C2 that echoes nothing, then the first chunk bytes, all in one read.
        channel.writeInbound(Unpooled.buffer().writeBytes(randomBytes(PACKET_LENGTH))
                .writeBytes(new byte[] {3, 0, 0}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x2A}));

        assertThat(recorder.seen()).containsExactly(HandshakeCompleted.INSTANCE, "0300002a");
        assertThat(channel.pipeline().get(ServerHandshakeHandler.class)).isNull();
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void handlesTheWholeClientHandshakeAndMoreInOneRead() {
        byte[] c1 = HandshakeDigest.clientC1(0, 0, randomBytes(PACKET_LENGTH));
        channel.writeInbound(c0(3, c1).writeBytes(randomBytes(PACKET_LENGTH)).writeBytes(new byte[] {3, 1}));

        assertThat(reply()).hasSize(1 + 2 * PACKET_LENGTH);
        assertThat(recorder.seen()).containsExactly(HandshakeCompleted.INSTANCE, "0301");
    }

    @ParameterizedTest(name = "C0 version {0}")
    @ValueSource(ints = {6, 0x16, 'G'})
    void refusesAnythingButPlainRtmp(int version) {
        channel.writeInbound(c0(version, plainC1()));

        assertThat(channel.isOpen()).isFalse();
        assertThat(reply()).isEmpty();
        assertThat(recorder.seen()).isEmpty();
    }

    /** ffprobe plays, so it checks our S1 and S2 digests; ffmpeg publishes. Both then send connect. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ffprobe", "ffmpeg"})
    void realFfmpegClientsCompleteTheHandshakeAndSendConnect(String tool) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        AtomicBoolean sawDigestC1 = new AtomicBoolean();
        AtomicBoolean sawConnect = new AtomicBoolean();
        File log = File.createTempFile("tributary-" + tool, ".log");
        Process process = null;
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new C1Tap(sawDigestC1), new ServerHandshakeHandler(),
                                    new ChunkDecoder(8 << 20, 16), new ConnectWatcher(sawConnect));
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            String url = "rtmp://127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort() + "/live/test";
            List<String> command = tool.equals("ffprobe")
                    ? List.of("ffprobe", "-hide_banner", "-v", "debug", url)
                    : List.of("ffmpeg", "-hide_banner", "-v", "debug", "-f", "lavfi",
                            "-i", "testsrc=size=64x64:rate=5", "-t", "10", "-f", "flv", url);
            try {
                process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
            } catch (IOException e) {
                throw new AssertionError(tool + " is not installed (./tributary test installs it)", e);
            }

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(sawConnect).as(Files.readString(log.toPath())).isTrue());
            assertThat(sawDigestC1).isTrue();
            server.close().sync();
        } finally {
            if (process != null) {
                process.destroyForcibly().waitFor();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            log.delete();
        }
    }

    /** Notes whether the first C1 through it carries a client digest, and passes everything on. */
    private static final class C1Tap extends ChannelInboundHandlerAdapter {
        private final AtomicBoolean digest;
        private final byte[] c0c1 = new byte[1 + PACKET_LENGTH];
        private int filled;

        C1Tap(AtomicBoolean digest) {
            this.digest = digest;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            if (filled < c0c1.length) {
                int n = Math.min(c0c1.length - filled, buf.readableBytes());
                buf.getBytes(buf.readerIndex(), c0c1, filled, n);
                filled += n;
                if (filled == c0c1.length) {
                    digest.set(HandshakeDigest.findClientDigest(Arrays.copyOfRange(c0c1, 1, c0c1.length)) >= 0);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Watches for the connect command, the first thing an RTMP client sends after the handshake. */
    private static final class ConnectWatcher extends ChannelInboundHandlerAdapter {
        private static final byte[] CONNECT = "\u0002\u0000\u0007connect".getBytes(StandardCharsets.US_ASCII);
        private final AtomicBoolean sawConnect;

        ConnectWatcher(AtomicBoolean sawConnect) {
            this.sawConnect = sawConnect;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            RtmpMessage message = (RtmpMessage) msg;
            ByteBuf payload = message.payload();
            if (message.typeId() == MessageType.COMMAND_AMF0 && payload.readableBytes() >= CONNECT.length
                    && Arrays.equals(ByteBufUtil.getBytes(payload, payload.readerIndex(), CONNECT.length), CONNECT)) {
                sawConnect.set(true);
            }
            message.release();
        }
    }
}
