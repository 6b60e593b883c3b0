package io.tributary.rtmp.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.amf.Amf0;
import io.tributary.media.stream.ChannelSubscriber;
import io.tributary.media.stream.StreamSettings;
import io.tributary.media.stream.StreamSnapshot;
import io.tributary.rtmp.chunk.ChunkWriter;
import io.tributary.rtmp.chunk.MessageType;
import io.tributary.rtmp.chunk.RtmpMessage;
import io.tributary.rtmp.command.Command;
import io.tributary.rtmp.command.ControlMessages;
import io.tributary.rtmp.command.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Plays a live stream to an RTMP client on one of its message streams. */
final class RtmpPlayer extends ChannelSubscriber {
    private final ChunkWriter writer;
    private final int streamId;
    private final StreamPath path;
    private final boolean reset;
    private final List<Object> chunks = new ArrayList<>(4);
    private final Consumer<String> onEnd;
    private final long durationMillis;
    private boolean receiveAudio = true;
    private boolean receiveVideo = true;
    private long bytesSent;

    RtmpPlayer(Channel channel, StreamSettings settings, ChunkWriter writer, int streamId, StreamPath path,
               boolean reset, long durationMillis, Consumer<String> onEnd) {
        super(channel, settings);
        // Chunks are bytes already: they skip the RTMP handlers and enter the pipeline just before the
        // first of them (what comes before, TLS or nothing, still sees them).
        ChannelHandlerContext first = channel.pipeline().context(RtmpServer.FIRST_HANDLER);
        if (first != null) {
            writeFrom(first);
        }
        this.onEnd = onEnd;
        this.durationMillis = durationMillis;
        this.writer = writer;
        this.streamId = streamId;
        this.path = path;
        this.reset = reset;
    }

    @Override
    public String protocol() {
        return "rtmp";
    }

    int streamId() {
        return streamId;
    }

    StreamPath path() {
        return path;
    }

    long bytesSent() {
        return bytesSent;
    }

    void receiveAudio(boolean on) {
        receiveAudio = on;
    }

    void receiveVideo(boolean on) {
        receiveVideo = on;
    }

    @Override
    protected void writeStart(StreamSnapshot snapshot) {
        channel.write(ControlMessages.userControl(channel.alloc(), ControlMessages.EVENT_STREAM_BEGIN, streamId));
        if (reset) {
            status(Status.status(Status.PLAY_RESET, "Playing and resetting " + path + "."));
        }
        status(Status.status(Status.PLAY_START, "Started playing " + path + "."));
        // Lets Flash players read the media data (bitmap/audio sample access).
        var body = channel.alloc().buffer(32);
        Amf0.writeAll(body, "|RtmpSampleAccess", true, true);
        channel.write(new RtmpMessage(ControlMessages.CSID_STREAM, MessageType.DATA_AMF0, streamId, 0, body));
    }

    @Override
    protected void writeFrame(Frame frame, long timestamp) {
        if (durationMillis > 0 && timestamp >= durationMillis && frame.type() == Frame.Type.CODED) {
            // play(name, start, duration): the client asked for this much and no more.
            stop();
            end("played the requested " + durationMillis + " ms");
            return;
        }
        if (frame.isAudio() && !receiveAudio || frame.isVideo() && !receiveVideo) {
            return;
        }
        int csid;
        int type;
        switch (frame.kind()) {
            case VIDEO -> {
                csid = ControlMessages.CSID_VIDEO;
                type = MessageType.VIDEO;
            }
            case AUDIO -> {
                csid = ControlMessages.CSID_AUDIO;
                type = MessageType.AUDIO;
            }
            default -> {
                csid = ControlMessages.CSID_STREAM;
                type = MessageType.DATA_AMF0;
            }
        }
        writer.write(channel.alloc(), csid, type, streamId, timestamp, frame.body(), chunks);
        for (int i = 0; i < chunks.size(); i++) {
            out().write(chunks.get(i), channel.voidPromise());
        }
        chunks.clear();
        bytesSent += frame.size();
    }

    @Override
    protected void publisherLeft() {
        status(Status.status(Status.PLAY_UNPUBLISH_NOTIFY, path + " is now unpublished."));
    }

    @Override
    protected void publisherReturned() {
        channel.write(ControlMessages.userControl(channel.alloc(), ControlMessages.EVENT_STREAM_BEGIN, streamId));
        status(Status.status(Status.PLAY_PUBLISH_NOTIFY, path + " is now published."));
    }

    @Override
    protected void writeEnd() {
        end("stream ended");
    }

    private void end(String why) {
        channel.write(ControlMessages.userControl(channel.alloc(), ControlMessages.EVENT_STREAM_EOF, streamId));
        status(Status.status(Status.PLAY_STOP, "Stopped playing " + path + "."));
        channel.flush();
        onEnd.accept(why);
    }

    private void status(Object info) {
        channel.write(Command.of("onStatus", 0, null, info)
                .toMessage(channel.alloc(), ControlMessages.CSID_STREAM, streamId));
    }
}
