package io.tributary.rtmp.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One complete RTMP message as it travels over a chunk stream. Reference counting is the
 * payload's: releasing the message releases the payload.
 */
public final class RtmpMessage implements ReferenceCounted {

    private final int chunkStreamId;
    private final int typeId;
    private final int streamId;
    private final long timestamp;
    private final ByteBuf payload;

    /**
     * @param timestamp absolute, in milliseconds, an unsigned 32-bit value
     * @param payload the message body; ownership passes to this message
     */
    public RtmpMessage(int chunkStreamId, int typeId, int streamId, long timestamp, ByteBuf payload) {
        this.chunkStreamId = chunkStreamId;
        this.typeId = typeId;
        this.streamId = streamId;
        this.timestamp = timestamp;
        this.payload = payload;
    }

    public int chunkStreamId() {
        return chunkStreamId;
    }

    public int typeId() {
        return typeId;
    }

    public int streamId() {
        return streamId;
    }

    public long timestamp() {
        return timestamp;
    }

    public ByteBuf payload() {
        return payload;
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public RtmpMessage retain() {
        payload.retain();
        return this;
    }

    @Override
    public RtmpMessage retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public RtmpMessage touch() {
        payload.touch();
        return this;
    }

    @Override
    public RtmpMessage touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return "RtmpMessage(" + MessageType.name(typeId) + ", csid=" + chunkStreamId + ", msid=" + streamId
                + ", ts=" + timestamp + ", length=" + payload.readableBytes() + ")";
    }
}
