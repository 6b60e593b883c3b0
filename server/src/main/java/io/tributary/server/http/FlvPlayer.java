package io.tributary.server.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFutureListener;
import io.tributary.media.Frame;
import io.tributary.media.StreamPath;
import io.tributary.media.flv.FlvTags;
import io.tributary.media.stream.ChannelSubscriber;
import io.tributary.media.stream.StreamSettings;
import io.tributary.media.stream.StreamSnapshot;

/**
 * Plays a live stream as an HTTP-FLV body. Each tag goes out as two writes: one small buffer holding
 * the previous tag's size field and this tag's header, then the shared frame body itself.
 */
final class FlvPlayer extends ChannelSubscriber {
    private final StreamPath path;
    private int previousTagSize;
    private long bytesSent;

    FlvPlayer(Channel channel, StreamSettings settings, StreamPath path) {
        super(channel, settings);
        // Tags are bytes: they enter the pipeline before the HTTP handlers (TLS, if any, still sees them).
        ChannelHandlerContext first = channel.pipeline().context(HttpServer.IDLE);
        if (first != null) {
            writeFrom(first);
        }
        this.path = path;
    }

    @Override
    public String protocol() {
        return "flv";
    }

    StreamPath path() {
        return path;
    }

    long bytesSent() {
        return bytesSent;
    }

    @Override
    protected void writeStart(StreamSnapshot snapshot) {
        // Before any frame arrives the tracks are unknown; announcing both is what players cope with.
        boolean unknown = !snapshot.hasAudio() && !snapshot.hasVideo();
        channel.write(FlvTags.fileHeader(channel.alloc(), snapshot.hasAudio() || unknown,
                snapshot.hasVideo() || unknown), channel.voidPromise());
        bytesSent += FlvTags.FILE_HEADER_SIZE;
    }

    @Override
    protected void writeFrame(Frame frame, long timestamp) {
        ByteBuf header = channel.alloc().buffer(FlvTags.TAG_OVERHEAD);
        header.writeInt(previousTagSize);
        FlvTags.writeTagHeader(header, FlvTags.tagType(frame), frame.size(), timestamp);
        out().write(header, channel.voidPromise());
        out().write(frame.body().retainedDuplicate(), channel.voidPromise());
        previousTagSize = FlvTags.TAG_HEADER_SIZE + frame.size();
        bytesSent += FlvTags.TAG_OVERHEAD + frame.size();
    }

    @Override
    protected void writeEnd() {
        ByteBuf last = channel.alloc().buffer(4).writeInt(previousTagSize);
        channel.writeAndFlush(last).addListener(ChannelFutureListener.CLOSE);
    }
}
