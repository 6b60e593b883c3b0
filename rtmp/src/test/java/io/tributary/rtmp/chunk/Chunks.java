package io.tributary.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;

/** Test helpers: hex vectors in, decoded messages out as comparable values. */
final class Chunks {

    private Chunks() {
    }

    /** A decoded message with its payload as hex, so that lists of them compare by value. */
    record Decoded(int csid, int typeId, int streamId, long timestamp, String payloadHex) {
        static Decoded of(RtmpMessage message) {
            try {
                return new Decoded(message.chunkStreamId(), message.typeId(), message.streamId(), message.timestamp(),
                        ByteBufUtil.hexDump(message.payload()));
            } finally {
                message.release();
            }
        }
    }

    static byte[] hex(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s+", ""));
    }

    static String repeat(String hexByte, int count) {
        return hexByte.repeat(count);
    }

    static List<Decoded> readAll(EmbeddedChannel channel) {
        List<Decoded> messages = new ArrayList<>();
        for (RtmpMessage message; (message = channel.readInbound()) != null; ) {
            messages.add(Decoded.of(message));
        }
        return messages;
    }

    /** Decodes {@code bytes} in one buffer. */
    static List<Decoded> decodeWhole(byte[] bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(8 << 20, 16));
        channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        List<Decoded> messages = readAll(channel);
        channel.finishAndReleaseAll();
        return messages;
    }

    /** Decodes {@code bytes} one byte per read, the worst split a network can produce. */
    static List<Decoded> decodeBytewise(byte[] bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(8 << 20, 16));
        for (byte b : bytes) {
            channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        List<Decoded> messages = readAll(channel);
        channel.finishAndReleaseAll();
        return messages;
    }

    static byte[] concat(List<Object> buffers) {
        ByteBuf all = Unpooled.buffer();
        for (Object buffer : buffers) {
            ByteBuf buf = (ByteBuf) buffer;
            all.writeBytes(buf, buf.readerIndex(), buf.readableBytes());
            buf.release();
        }
        return ByteBufUtil.getBytes(all);
    }
}
