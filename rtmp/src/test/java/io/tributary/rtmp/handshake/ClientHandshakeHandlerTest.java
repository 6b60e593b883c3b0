package io.tributary.rtmp.handshake;

import static io.tributary.rtmp.handshake.HandshakeDigest.PACKET_LENGTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientHandshakeHandlerTest {

    private final Recorder recorder = new Recorder();
    private EmbeddedChannel channel;

    @AfterEach
    void releaseWhatWasNotRead() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private EmbeddedChannel connect(ClientHandshakeHandler handler) {
        channel = new EmbeddedChannel(handler, recorder);
        return channel;
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    private static byte[] written(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; buf.release()) {
            out.writeBytes(ByteBufUtil.getBytes(buf));
        }
        return out.toByteArray();
    }

    private static ByteBuf answer(int version, byte[] s1, byte[] s2) {
        return Unpooled.buffer().writeByte(version).writeBytes(s1).writeBytes(s2);
    }

    /** A connected client that has sent C0+C1; returns C1. */
    private static byte[] c1Of(EmbeddedChannel channel) {
        byte[] c0c1 = written(channel);
        assertThat(c0c1).hasSize(1 + PACKET_LENGTH);
        assertThat(c0c1[0]).isEqualTo((byte) 3);
        return Arrays.copyOfRange(c0c1, 1, c0c1.length);
    }

    @Test
    void signsC2ForADigestServerAndHandsLaterBytesOn() {
        EmbeddedChannel channel = connect(new ClientHandshakeHandler());
        byte[] c1 = c1Of(channel);
        int c1Digest = HandshakeDigest.findClientDigest(c1);
        assertThat(c1Digest).isNotNegative();
        assertThat(ByteBufUtil.hexDump(c1, 4, 4)).as("Flash's version, like ffmpeg").isEqualTo("0a002d02");

        byte[] s1 = HandshakeDigest.serverS1(1, 0, randomBytes(PACKET_LENGTH));
        byte[] s2 = HandshakeDigest.serverS2(c1, c1Digest, randomBytes(PACKET_LENGTH));
        channel.writeInbound(answer(3, s1, s2).writeBytes(new byte[] {2, 0}));

        byte[] c2 = written(channel);
        assertThat(HandshakeDigest.validateClientC2(c2, s1, HandshakeDigest.findServerDigest(s1))).isTrue();
        assertThat(recorder.seen()).containsExactly(HandshakeCompleted.INSTANCE, "0200");
        assertThat(channel.pipeline().get(ClientHandshakeHandler.class)).isNull();
    }

    @Test
    void acceptsADigestS1WithAnEchoedS2() {
        EmbeddedChannel channel = connect(new ClientHandshakeHandler());
        byte[] c1 = c1Of(channel);

        channel.writeInbound(answer(3, HandshakeDigest.serverS1(0, 0, randomBytes(PACKET_LENGTH)), c1));

        assertThat(recorder.completed()).isTrue();
    }

    @Test
    void echoesS1ToAPlainServer() {
        EmbeddedChannel channel = connect(new ClientHandshakeHandler());
        byte[] c1 = c1Of(channel);
        byte[] s1 = randomBytes(PACKET_LENGTH);
        Arrays.fill(s1, 0, 8, (byte) 0);

        channel.writeInbound(answer(3, s1, c1));

        assertThat(written(channel)).isEqualTo(s1);
        assertThat(recorder.completed()).isTrue();
    }

    @Test
    void aPlainClientSendsNoDigestAndChecksNone() {
        EmbeddedChannel channel = connect(new ClientHandshakeHandler(false));
        byte[] c1 = c1Of(channel);
        assertThat(Arrays.copyOfRange(c1, 4, 8)).containsOnly(0);
        assertThat(HandshakeDigest.findClientDigest(c1)).isEqualTo(-1);
        byte[] s1 = HandshakeDigest.serverS1(0, 0, randomBytes(PACKET_LENGTH));

        channel.writeInbound(answer(3, s1, randomBytes(PACKET_LENGTH)));

        assertThat(written(channel)).isEqualTo(s1);
        assertThat(recorder.completed()).isTrue();
    }

    @Test
    void refusesAServerWhoseS1ClaimsAVersionButCarriesNoDigest() {
        EmbeddedChannel channel = connect(new ClientHandshakeHandler());
        byte[] c1 = c1Of(channel);
        byte[] s1 = randomBytes(PACKET_LENGTH);
        s1[4] = 4;

        assertThatThrownBy(() -> channel.writeInbound(answer(3, s1, c1)))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("carries no valid Flash Media Server digest");
        assertThat(channel.isOpen()).isFalse();
        assertThat(recorder.completed()).isFalse();
    }

    @Test
    void refusesAServerWhoseS2IsSignedForSomethingElse() {
        EmbeddedChannel channel = connect(new ClientHandshakeHandler());
        c1Of(channel);
        byte[] s1 = HandshakeDigest.serverS1(0, 0, randomBytes(PACKET_LENGTH));

        assertThatThrownBy(() -> channel.writeInbound(answer(3, s1, randomBytes(PACKET_LENGTH))))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("server S2 is neither signed for our C1 digest nor an echo of C1");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnotherRtmpVersion() {
        EmbeddedChannel channel = connect(new ClientHandshakeHandler());
        byte[] c1 = c1Of(channel);

        assertThatThrownBy(() -> channel.writeInbound(answer(6, new byte[PACKET_LENGTH], c1)))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("server answered the handshake with RTMP version 6, expected 3");
    }

    @ParameterizedTest(name = "digest C1: {0}")
    @ValueSource(booleans = {true, false})
    void shakesHandsWithOurServerOverLoopback(boolean digest) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        Recorder serverSide = new Recorder("from server".getBytes(StandardCharsets.US_ASCII));
        Recorder clientSide = new Recorder("from client".getBytes(StandardCharsets.US_ASCII));
        try {
            Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ServerHandshakeHandler(), serverSide);
                        }
                    })
                    .bind(InetAddress.getLoopbackAddress(), 0).sync().channel();
            Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ClientHandshakeHandler(digest), clientSide);
                        }
                    })
                    .connect(server.localAddress()).sync().channel();

            String fromServer = ByteBufUtil.hexDump("from server".getBytes(StandardCharsets.US_ASCII));
            String fromClient = ByteBufUtil.hexDump("from client".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(clientSide.seen()).containsExactly(HandshakeCompleted.INSTANCE, fromServer);
                assertThat(serverSide.seen()).containsExactly(HandshakeCompleted.INSTANCE, fromClient);
            });
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
