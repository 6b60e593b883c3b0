package io.tributary.hls.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tributary.media.Frame;
import io.tributary.media.codec.AacConfig;
import io.tributary.media.codec.AvcConfig;
import io.tributary.media.flv.FlvFrames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stream as an RTMP ingest would hand it to the muxer: an FLV file that real ffmpeg wrote, read tag by
 * tag through {@link FlvFrames}, its sequence headers parsed into configurations and its coded frames kept.
 */
public record FlvInput(AvcConfig avc, AacConfig aac, List<Frame> video, List<Frame> audio, byte[] videoConfigTag,
                       byte[] audioConfigTag) implements AutoCloseable {
    private static final int TAG_AUDIO = 8;
    private static final int TAG_VIDEO = 9;

    /** 6 s of 320x240 25 fps H.264 with B-frames (keyframes every 2 s) and 44.1 kHz AAC, as the brief's encoder. */
    public static FlvInput generate(Path dir) {
        Tool.run(dir, "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440", "-c:v", "libx264", "-g", "50", "-bf", "2",
                "-c:a", "aac", "-t", "6", "-f", "flv", "in.flv").assertClean();
        return read(dir.resolve("in.flv"));
    }

    public static FlvInput read(Path file) {
        ByteBuf flv;
        try {
            flv = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AvcConfig avc = null;
        AacConfig aac = null;
        byte[] videoConfigTag = null;
        byte[] audioConfigTag = null;
        List<Frame> video = new ArrayList<>();
        List<Frame> audio = new ArrayList<>();
        flv.readerIndex(flv.getInt(5) + 4); // the header, then PreviousTagSize0
        while (flv.readableBytes() >= 11) {
            int type = flv.readUnsignedByte() & 0x1F;
            int size = flv.readUnsignedMedium();
            long timestamp = flv.readUnsignedMedium() | (long) flv.readUnsignedByte() << 24;
            flv.skipBytes(3); // stream id
            ByteBuf body = Unpooled.copiedBuffer(flv.readSlice(size));
            flv.skipBytes(4); // PreviousTagSize
            if (type == TAG_VIDEO) {
                Frame frame = FlvFrames.video(timestamp, body);
                if (frame.isConfig()) {
                    avc = AvcConfig.parse(frame.data());
                    videoConfigTag = io.netty.buffer.ByteBufUtil.getBytes(frame.body());
                }
                keepIfCoded(frame, video);
            } else if (type == TAG_AUDIO) {
                Frame frame = FlvFrames.audio(timestamp, body);
                if (frame.isConfig()) {
                    aac = AacConfig.parse(frame.data());
                    audioConfigTag = io.netty.buffer.ByteBufUtil.getBytes(frame.body());
                }
                keepIfCoded(frame, audio);
            } else {
                body.release();
            }
        }
        return new FlvInput(avc, aac, List.copyOf(video), List.copyOf(audio), videoConfigTag, audioConfigTag);
    }

    /** Sequence headers and the end-of-sequence tag are not samples. */
    private static void keepIfCoded(Frame frame, List<Frame> track) {
        if (frame.type() == Frame.Type.CODED) {
            track.add(frame);
        } else {
            frame.release();
        }
    }

    @Override
    public void close() {
        video.forEach(Frame::release);
        audio.forEach(Frame::release);
    }
}
