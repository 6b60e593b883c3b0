package io.tributary.server.conference;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.tributary.media.Addresses;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection as the rooms see it: its id and how to write to it. Writes happen on the
 * connection's own event loop, whoever sends them.
 */
final class Participant {
    private static final Logger log = LoggerFactory.getLogger(Participant.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * A participant that lets this much pile up unsent is not reading; it is dropped rather than allowed
     * to hold on to the room's messages without end.
     */
    static final long MAX_BACKLOG_BYTES = 4L * 1024 * 1024;

    private final Channel channel;
    private final String id;
    private final String address;

    Participant(Channel channel) {
        this.channel = channel;
        this.id = newId();
        this.address = Addresses.format(channel.remoteAddress());
    }

    String id() {
        return id;
    }

    String address() {
        return address;
    }

    /** Sends a text frame (UTF-8 JSON) or a binary frame; {@code data} is shared, never modified. */
    void send(boolean binary, byte[] data) {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            write(binary, data);
            return;
        }
        try {
            loop.execute(() -> write(binary, data));
        } catch (RejectedExecutionException e) {
            // The node is stopping and this connection with it.
        }
    }

    private void write(boolean binary, byte[] data) {
        if (!channel.isActive()) {
            return;
        }
        if (channel.bytesBeforeWritable() > MAX_BACKLOG_BYTES) {
            log.info("closing participant {} from {}: more than {} bytes unsent", id, address, MAX_BACKLOG_BYTES);
            channel.close();
            return;
        }
        var content = Unpooled.wrappedBuffer(data);
        channel.writeAndFlush(binary ? new BinaryWebSocketFrame(content) : new TextWebSocketFrame(content),
                channel.voidPromise());
    }

    /** 64 random bits: unique enough across a cluster's rooms, and not guessable from another's id. */
    private static String newId() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
