package io.tributary.rtmp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.tributary.media.amf.AmfObject;
import io.tributary.rtmp.chunk.ChunkDecoder;
import io.tributary.rtmp.chunk.ChunkEncoder;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.handshake.ClientHandshakeHandler;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens RTMP connections to a server (ours or any other): used to pull streams between nodes, by the
 * load generator and by tests that need to see exact status codes.
 */
public final class RtmpClient {
    private static final int MAX_MESSAGE_SIZE = 16 << 20;

    private final EventLoopGroup group;
    private final Class<? extends Channel> channelType;

    public RtmpClient(EventLoopGroup group, Class<? extends Channel> channelType) {
        this.group = group;
        this.channelType = channelType;
    }

    /** Connects, shakes hands and runs NetConnection.connect for the URL's application. */
    public CompletableFuture<RtmpSession> connect(RtmpUrl url, Duration timeout) {
        AmfObject props = AmfObject.of(
                "app", url.query() == null ? url.app() : url.app() + "?" + url.query(),
                "type", "nonprivate",
                "flashVer", "FMLE/3.0 (compatible; Tributary)",
                "tcUrl", url.tcUrl(),
                "fpad", false,
                "capabilities", 15.0,
                "audioCodecs", 4071.0,
                "videoCodecs", 252.0,
                "videoFunction", 1.0,
                "objectEncoding", 0.0);
        ClientConnection connection = new ClientConnection(Command.of("connect", 1, props));
        ChunkWriter writer = new ChunkWriter();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast("handshake", new ClientHandshakeHandler(true))
                                .addLast("chunkDecoder", new ChunkDecoder(MAX_MESSAGE_SIZE, 64))
                                .addLast("chunkEncoder", new ChunkEncoder(writer))
                                .addLast("connection", connection);
                    }
                });
        CompletableFuture<RtmpSession> result = new CompletableFuture<>();
        result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        b.connect(url.host(), url.port()).addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(f.cause());
                return;
            }
            Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
            // Whatever finishes last (timeout or handshake) closes a connection nobody will use.
            result.whenComplete((s, e) -> {
                if (e != null) {
                    ch.close();
                }
            });
            connection.connected().whenComplete((reply, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                } else if (!result.complete(new RtmpSession(ch, connection, writer))) {
                    ch.close();
                }
            });
        });
        return result;
    }
}
