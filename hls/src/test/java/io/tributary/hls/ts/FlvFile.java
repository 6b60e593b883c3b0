package io.tributary.hls.ts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import io.tributary.media.flv.FlvFrames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An FLV file read into what a publisher sends: the configurations from its sequence headers and its
 * coded frames in file (decode) order. The frames are views of one heap buffer.
 */
record FlvFile(AvcConfig video, AacConfig audio, List<Frame> frames) {
    private static final int TAG_AUDIO = 8;
    private static final int TAG_VIDEO = 9;

    static FlvFile read(Path file) throws IOException {
        ByteBuf in = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        in.readerIndex(in.getInt(5) + 4); // the header, then PreviousTagSize0
        AvcConfig video = null;
        AacConfig audio = null;
        List<Frame> frames = new ArrayList<>();
        while (in.readableBytes() >= 11) {
            int type = in.readUnsignedByte() & 0x1F;
            int size = in.readUnsignedMedium();
            long timestamp = in.readUnsignedMedium() | (long) in.readUnsignedByte() << 24;
            in.skipBytes(3); // stream id
            ByteBuf body = in.readSlice(size);
            in.skipBytes(4); // PreviousTagSize
            Frame frame = type == TAG_VIDEO ? FlvFrames.video(timestamp, body)
                    : type == TAG_AUDIO ? FlvFrames.audio(timestamp, body) : null;
            if (frame == null) {
                continue;
            }
            if (frame.isConfig()) {
                if (frame.isVideo()) {
                    video = AvcConfig.parse(frame.data());
                } else {
                    audio = AacConfig.parse(frame.data());
                }
            } else if (frame.type() == Frame.Type.CODED) {
                frames.add(frame);
            }
        }
        return new FlvFile(video, audio, List.copyOf(frames));
    }

    List<Frame> videoFrames() {
        return frames.stream().filter(Frame::isVideo).toList();
    }

    List<Frame> audioFrames() {
        return frames.stream().filter(Frame::isAudio).toList();
    }
}
