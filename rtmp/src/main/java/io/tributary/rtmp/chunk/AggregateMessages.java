package io.tributary.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits an Aggregate message (type 22) into the messages it carries. Its payload is a run of
 * FLV-tag-shaped sub-messages: type(1) size(3) timestamp(3) timestamp-extension(1) stream id(3),
 * body, back-pointer(4). Sub-message timestamps count from the first sub-message and are rebased
 * onto the aggregate's own timestamp, which is the one the chunk stream vouches for.
 */
public final class AggregateMessages {

    private static final int TAG_HEADER_LENGTH = 11;
    private static final int BACK_POINTER_LENGTH = 4;
    private static final long UINT32 = 0xFFFFFFFFL;

    private AggregateMessages() {
    }

    /**
     * The sub-messages of {@code aggregate}, on its chunk stream and message stream, with payloads
     * that are retained slices of its payload. {@code aggregate} is neither consumed nor released.
     *
     * @throws RtmpProtocolException if a sub-message runs past the end of the payload
     */
    public static List<RtmpMessage> unpack(RtmpMessage aggregate) {
        ByteBuf payload = aggregate.payload();
        int index = payload.readerIndex();
        int end = payload.writerIndex();
        List<RtmpMessage> messages = new ArrayList<>();
        long firstTimestamp = -1;
        try {
            while (index < end) {
                if (end - index < TAG_HEADER_LENGTH) {
                    throw malformed(aggregate, messages.size(), "header", end - index, TAG_HEADER_LENGTH);
                }
                int typeId = payload.getUnsignedByte(index);
                int size = payload.getUnsignedMedium(index + 1);
                long timestamp = payload.getUnsignedMedium(index + 4) | (long) payload.getUnsignedByte(index + 7) << 24;
                int bodyIndex = index + TAG_HEADER_LENGTH;
                // The back-pointer only repeats the size, so its value is not checked; it must be there.
                if ((long) end - bodyIndex < (long) size + BACK_POINTER_LENGTH) {
                    throw malformed(aggregate, messages.size(), "body and back-pointer", end - bodyIndex,
                            (long) size + BACK_POINTER_LENGTH);
                }
                if (firstTimestamp < 0) {
                    firstTimestamp = timestamp;
                }
                long rebased = (aggregate.timestamp() + timestamp - firstTimestamp) & UINT32;
                messages.add(new RtmpMessage(aggregate.chunkStreamId(), typeId, aggregate.streamId(), rebased,
                        payload.retainedSlice(bodyIndex, size)));
                index = bodyIndex + size + BACK_POINTER_LENGTH;
            }
        } catch (RtmpProtocolException e) {
            messages.forEach(RtmpMessage::release);
            throw e;
        }
        return messages;
    }

    private static RtmpProtocolException malformed(RtmpMessage aggregate, int subMessage, String part, int left,
                                                   long needed) {
        return new RtmpProtocolException("aggregate message " + aggregate + " is truncated: sub-message "
                + subMessage + " needs " + needed + " bytes of " + part + " but " + left + " remain");
    }
}
