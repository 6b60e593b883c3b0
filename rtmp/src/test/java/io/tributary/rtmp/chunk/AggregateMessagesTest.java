package io.tributary.rtmp.chunk;

import static io.tributary.rtmp.chunk.Chunks.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.Unpooled;
import io.tributary.rtmp.chunk.Chunks.Decoded;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AggregateMessagesTest {

    @Test
    void unpacksSubMessagesOntoTheAggregateTimeline() {
        RtmpMessage aggregate = aggregate(5000,
                "09 000003 0003E8 00 000000 AABBCC 0000000E"
                        + "08 000002 000401 00 000000 DDEE 0000000D");

        List<RtmpMessage> messages = AggregateMessages.unpack(aggregate);
        aggregate.release();

        assertThat(messages).map(Decoded::of).containsExactly(
                new Decoded(6, MessageType.VIDEO, 1, 5000, "aabbcc"),
                new Decoded(6, MessageType.AUDIO, 1, 5025, "ddee"));
    }

    @Test
    void readsTheTimestampExtensionByte() {
        RtmpMessage aggregate = aggregate(100,
                "09 000001 FFFFFF 00 000000 AA 0000000C"
                        + "09 000001 000010 01 000000 BB 0000000C");

        List<RtmpMessage> messages = AggregateMessages.unpack(aggregate);
        aggregate.release();

        assertThat(messages).map(Decoded::of).containsExactly(
                new Decoded(6, MessageType.VIDEO, 1, 100, "aa"),
                new Decoded(6, MessageType.VIDEO, 1, 100 + 0x01000010L - 0xFFFFFFL, "bb"));
    }

    @Test
    void anEmptyAggregateHoldsNoMessages() {
        RtmpMessage aggregate = aggregate(0, "");
        assertThat(AggregateMessages.unpack(aggregate)).isEmpty();
        aggregate.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "09 000003 0003E8 00 000000 AABB",
        "09 000003 0003E8 00 000000 AABBCC 0000",
        "09 000001 0003E8 00 000000 AA 0000000C 08 0000",
    })
    void refusesTruncatedSubMessagesWithoutLeaking(String payload) {
        RtmpMessage aggregate = aggregate(0, payload);

        assertThatThrownBy(() -> AggregateMessages.unpack(aggregate))
                .isInstanceOf(RtmpProtocolException.class)
                .hasMessageContaining("is truncated");
        assertThat(aggregate.refCnt()).as("slices already made are released").isEqualTo(1);
        aggregate.release();
    }

    private static RtmpMessage aggregate(long timestamp, String payload) {
        return new RtmpMessage(6, MessageType.AGGREGATE, 1, timestamp, Unpooled.wrappedBuffer(hex(payload)));
    }
}
