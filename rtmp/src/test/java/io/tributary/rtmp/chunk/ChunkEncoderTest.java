package io.tributary.rtmp.chunk;

import static io.tributary.rtmp.chunk.Chunks.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkEncoderTest {

    @Test
    void chunksMessagesThroughTheSharedWriterAndReleasesThem() {
        ChunkWriter writer = new ChunkWriter();
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder(writer));
        RtmpMessage first = new RtmpMessage(3, MessageType.COMMAND_AMF0, 0, 0, Unpooled.wrappedBuffer(hex("AABB")));
        RtmpMessage second = new RtmpMessage(3, MessageType.COMMAND_AMF0, 0, 0, Unpooled.wrappedBuffer(hex("CCDD")));

        channel.writeOutbound(first, second);

        List<Object> written = new ArrayList<>();
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            written.add(buf);
        }
        // The second message shares the writer's header state: same length, type and delta 0.
        assertThat(Chunks.concat(written)).isEqualTo(hex("03 000000 000002 14 00000000 AABB" + "83 000000 CCDD"));
        assertThat(first.refCnt()).isZero();
        assertThat(second.refCnt()).isZero();
    }

    @Test
    void passesOtherOutboundBuffersThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder(new ChunkWriter()));
        ByteBuf alreadyChunked = Unpooled.wrappedBuffer(hex("C4 0102"));

        channel.writeOutbound(alreadyChunked);

        ByteBuf out = channel.readOutbound();
        assertThat(out).isSameAs(alreadyChunked);
        out.release();
    }
}
