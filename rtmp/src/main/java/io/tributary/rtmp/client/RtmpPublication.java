package io.tributary.rtmp.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.tributary.media.Frame;
import io.tributary.media.amf.Amf0;
import io.tributary.media.amf.AmfObject;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import java.util.ArrayList;
import java.util.List;

/** A stream this client publishes: frames go out as RTMP audio/video/data messages. */
public final class RtmpPublication {
    private final Channel channel;
    private final ChunkWriter writer;
    private final int streamId;
    private final String streamName;
    private final ClientConnection connection;
    private final List<Object> chunks = new ArrayList<>(4);

    RtmpPublication(Channel channel, ChunkWriter writer, int streamId, String streamName, ClientConnection connection) {
        this.channel = channel;
        this.writer = writer;
        this.streamId = streamId;
        this.streamName = streamName;
        this.connection = connection;
    }

    /** Sends {@code @setDataFrame("onMetaData", metadata)}. */
    public void metadata(AmfObject metadata) {
        channel.eventLoop().execute(() -> {
            ByteBuf body = channel.alloc().buffer(256);
            Amf0.writeAll(body, "@setDataFrame", "onMetaData", metadata);
            try {
                write(MessageType.DATA_AMF0, ControlMessages.CSID_STREAM, 0, body);
            } finally {
                body.release();
            }
        });
    }

    /** Sends one frame (its FLV body) with the given timestamp; takes over the caller's reference. */
    public void send(Frame frame, long timestamp) {
        channel.eventLoop().execute(() -> {
            try {
                switch (frame.kind()) {
                    case VIDEO -> write(MessageType.VIDEO, ControlMessages.CSID_VIDEO, timestamp, frame.body());
                    case AUDIO -> write(MessageType.AUDIO, ControlMessages.CSID_AUDIO, timestamp, frame.body());
                    case DATA -> write(MessageType.DATA_AMF0, ControlMessages.CSID_STREAM, timestamp, frame.body());
                }
            } finally {
                frame.release();
            }
        });
    }

    /** Sends raw bytes as one message of the given type: for tests of what a server does with bad media. */
    public void sendRaw(int typeId, long timestamp, ByteBuf body) {
        channel.eventLoop().execute(() -> {
            try {
                write(typeId, ControlMessages.CSID_VIDEO, timestamp, body);
            } finally {
                body.release();
            }
        });
    }

    /** FCUnpublish + deleteStream, as encoders do when they stop. */
    public void unpublish() {
        channel.eventLoop().execute(() -> {
            connection.call("FCUnpublish", null, 0, streamName);
            connection.send(Command.of("deleteStream", 0, null, (double) streamId), 0);
        });
    }

    public int streamId() {
        return streamId;
    }

    private void write(int type, int csid, long timestamp, ByteBuf body) {
        writer.write(channel.alloc(), csid, type, streamId, timestamp, body, chunks);
        for (Object c : chunks) {
            channel.write(c, channel.voidPromise());
        }
        chunks.clear();
        channel.flush();
    }
}
