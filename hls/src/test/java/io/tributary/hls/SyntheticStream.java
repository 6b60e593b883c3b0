package io.tributary.hls;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.tributary.media.Frame;
import io.tributary.media.flv.FlvFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames as an encoder would send them, without an encoder: H.264 at 30 fps with a keyframe every
 * {@code gopFrames}, AAC at 44.1 kHz (a frame every 1024 samples), interleaved in decode order.
 */
final class SyntheticStream {
    static final byte[] AVC_RECORD = ByteBufUtil.decodeHexDump(
            "0142C01EFFE100196742C01ED900A02FF970110000030001000003003C0F162E4801000568CB83CB20");
    static final byte[] AAC_CONFIG = {0x12, 0x10};

    private SyntheticStream() {
    }

    static Frame videoConfig(long dts) {
        ByteBuf b = Unpooled.buffer().writeBytes(new byte[] {0x17, 0, 0, 0, 0}).writeBytes(AVC_RECORD);
        return FlvFrames.video(dts, b);
    }

    static Frame audioConfig(long dts) {
        return FlvFrames.audio(dts, Unpooled.buffer().writeByte(0xAF).writeByte(0).writeBytes(AAC_CONFIG));
    }

    static Frame picture(long dts, boolean key) {
        ByteBuf b = Unpooled.buffer(5 + 4 + 50);
        b.writeByte(key ? 0x17 : 0x27).writeByte(1).writeMedium(0).writeInt(50).writeByte(key ? 0x65 : 0x41)
                .writeZero(49);
        return FlvFrames.video(dts, b);
    }

    static Frame sound(long dts) {
        return FlvFrames.audio(dts, Unpooled.buffer().writeByte(0xAF).writeByte(1).writeZero(20));
    }

    /**
     * Coded frames from {@code fromMs} for {@code millis}: video every 1000/30 ms (a keyframe each
     * {@code gopFrames} frames, counted from frame 0 at time 0), audio every 1024/44.1 ms.
     */
    static List<Frame> coded(long fromMs, long millis, int gopFrames, boolean video, boolean audio) {
        List<Frame> out = new ArrayList<>();
        long v = (long) Math.ceil(fromMs * 30 / 1000.0);
        long a = (long) Math.ceil(fromMs * 44.1 / 1024);
        long end = fromMs + millis;
        while (true) {
            long vt = video ? v * 1000 / 30 : Long.MAX_VALUE;
            long at = audio ? a * 1024 * 1000 / 44100 : Long.MAX_VALUE;
            long t = Math.min(vt, at);
            if (t >= end) {
                return out;
            }
            if (vt <= at) {
                out.add(picture(vt, gopFrames > 0 && v % gopFrames == 0));
                v++;
            } else {
                out.add(sound(at));
                a++;
            }
        }
    }
}
