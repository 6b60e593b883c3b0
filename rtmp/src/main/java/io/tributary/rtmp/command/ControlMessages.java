package io.tributary.rtmp.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;

/** Builds the protocol control and user control messages (always on chunk stream 2, message stream 0). */
public final class ControlMessages {
    public static final int CSID_CONTROL = 2;
    public static final int CSID_COMMAND = 3;
    public static final int CSID_AUDIO = 4;
    public static final int CSID_STREAM = 5;
    public static final int CSID_VIDEO = 6;

    public static final int EVENT_STREAM_BEGIN = 0;
    public static final int EVENT_STREAM_EOF = 1;
    public static final int EVENT_STREAM_DRY = 2;
    public static final int EVENT_SET_BUFFER_LENGTH = 3;
    public static final int EVENT_STREAM_IS_RECORDED = 4;
    public static final int EVENT_PING_REQUEST = 6;
    public static final int EVENT_PING_RESPONSE = 7;

    /** Set Peer Bandwidth limit type "dynamic". */
    public static final int BANDWIDTH_DYNAMIC = 2;

    private ControlMessages() {
    }

    public static RtmpMessage setChunkSize(ByteBufAllocator alloc, int size) {
        return int32(alloc, MessageType.SET_CHUNK_SIZE, size);
    }

    public static RtmpMessage windowAckSize(ByteBufAllocator alloc, int size) {
        return int32(alloc, MessageType.WINDOW_ACK_SIZE, size);
    }

    public static RtmpMessage acknowledgement(ByteBufAllocator alloc, long sequenceNumber) {
        return int32(alloc, MessageType.ACKNOWLEDGEMENT, (int) sequenceNumber);
    }

    public static RtmpMessage setPeerBandwidth(ByteBufAllocator alloc, int size, int limitType) {
        ByteBuf b = alloc.buffer(5).writeInt(size).writeByte(limitType);
        return new RtmpMessage(CSID_CONTROL, MessageType.SET_PEER_BANDWIDTH, 0, 0, b);
    }

    public static RtmpMessage userControl(ByteBufAllocator alloc, int event, int value) {
        ByteBuf b = alloc.buffer(6).writeShort(event).writeInt(value);
        return new RtmpMessage(CSID_CONTROL, MessageType.USER_CONTROL, 0, 0, b);
    }

    public static RtmpMessage setBufferLength(ByteBufAllocator alloc, int streamId, int millis) {
        ByteBuf b = alloc.buffer(10).writeShort(EVENT_SET_BUFFER_LENGTH).writeInt(streamId).writeInt(millis);
        return new RtmpMessage(CSID_CONTROL, MessageType.USER_CONTROL, 0, 0, b);
    }

    private static RtmpMessage int32(ByteBufAllocator alloc, int type, int value) {
        return new RtmpMessage(CSID_CONTROL, type, 0, 0, alloc.buffer(4).writeInt(value));
    }
}
