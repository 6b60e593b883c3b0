package io.tributary.rtmp.chunk;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Pipeline handler that chunks {@link RtmpMessage}s (commands, control messages, anything off the
 * media hot path) through the connection's shared {@link ChunkWriter}, then releases them. Other
 * outbound objects, such as chunks a hot path produced with the same writer, pass through.
 */
public final class ChunkEncoder extends MessageToMessageEncoder<RtmpMessage> {

    private final ChunkWriter writer;

    public ChunkEncoder(ChunkWriter writer) {
        super(RtmpMessage.class);
        this.writer = writer;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RtmpMessage msg, List<Object> out) {
        writer.write(ctx.alloc(), msg.chunkStreamId(), msg.typeId(), msg.streamId(), msg.timestamp(),
                msg.payload(), out);
    }
}
